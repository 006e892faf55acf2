using System.Security.Claims;
using System.Text.Encodings.Web;
using Latchkey.ServiceDefaults;
using Latchkey.Storage;
using Latchkey.Tenancy;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Latchkey.OAuth2.Admin;

/// <summary>
/// A project API key of this project, or a workspace key of the workspace that owns it, as a bearer token.
/// Anything else — including a key of another project — is 401 in the OAuth2 shape, with <c>WWW-Authenticate: Bearer</c>.
/// </summary>
public sealed class AdminKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyDirectory keys,
    IProjectContext project)
    : BearerKeyHandler(options, logger, encoder)
{
    protected override async Task<IReadOnlyList<Claim>?> VerifyAsync(string key, CancellationToken ct)
    {
        var verified = await keys.VerifyAsync(key, ct);
        var owns = verified switch
        {
            { Kind: ApiKeyKind.Project } => verified.ProjectId == project.Project.Id,
            { Kind: ApiKeyKind.Workspace } => verified.WorkspaceId == project.Project.WorkspaceId,
            _ => false,
        };
        return owns ? [new Claim("key_id", verified!.Id.ToString()), new Claim("key_kind", verified.Kind.ToString())] : null;
    }

    /// <summary>No key and a refused key get the same answer here.</summary>
    protected override IResult Refusal(bool keyMissing) => AdminErrors.KeyRequired.ToResult();
}
