using System.Security.Claims;
using System.Text.Encodings.Web;
using Latchkey.ControlPlane.Http;
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
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    const string Bearer = "Bearer ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase) || header.Length == Bearer.Length)
            return AuthenticateResult.NoResult();

        var key = await keys.VerifyAsync(header[Bearer.Length..].Trim(), Context.RequestAborted);
        if (key is not { Kind: ApiKeyKind.Workspace }) return AuthenticateResult.Fail("The workspace API key is unknown, revoked or expired.");

        var identity = new ClaimsIdentity(
            [new Claim(WorkspaceCaller.WorkspaceClaim, key.WorkspaceId.ToString()), new Claim(WorkspaceCaller.KeyClaim, key.Id.ToString())], Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    /// <summary>No key at all and a key that does not verify are told apart, as the contract's errors are.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.Headers.WWWAuthenticate = "Bearer";
        await (result.None ? ControlPlaneErrors.MissingKey : ControlPlaneErrors.InvalidKey).ToResult().ExecuteAsync(Context);
    }
}
