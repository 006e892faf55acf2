using System.Security.Claims;
using System.Text.Encodings.Web;
using Latchkey.ControlPlane.Http;
using Latchkey.ServiceDefaults;
using Latchkey.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Latchkey.ControlPlane.Auth;

/// <summary>
/// Admits only requests bearing a valid workspace API key (<c>lk_wak_…</c>); anything else, including a
/// project API key, is 401 in Ory's envelope with <c>WWW-Authenticate: Bearer</c>. The caller's workspace is
/// then the principal's, read through <see cref="WorkspaceCaller"/>.
/// </summary>
internal sealed class WorkspaceKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyDirectory keys)
    : BearerKeyHandler(options, logger, encoder)
{
    protected override async Task<IReadOnlyList<Claim>?> VerifyAsync(string key, CancellationToken ct) =>
        await keys.VerifyAsync(key, ct) is { Kind: ApiKeyKind.Workspace } workspaceKey
            ? [new Claim(WorkspaceCaller.WorkspaceClaim, workspaceKey.WorkspaceId.ToString()), new Claim(WorkspaceCaller.KeyClaim, workspaceKey.Id.ToString())]
            : null;

    /// <summary>No key at all and a key that does not verify are told apart, as the contract's errors are.</summary>
    protected override IResult Refusal(bool keyMissing) =>
        (keyMissing ? ControlPlaneErrors.MissingKey : ControlPlaneErrors.InvalidKey).ToResult();
}
