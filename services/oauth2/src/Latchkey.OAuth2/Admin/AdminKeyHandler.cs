using System.Security.Claims;
using System.Text.Encodings.Web;
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
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    const string Bearer = "Bearer ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();

        var key = await keys.VerifyAsync(header[Bearer.Length..].Trim(), Context.RequestAborted);
        var owns = key switch
        {
            { Kind: ApiKeyKind.Project } => key.ProjectId == project.Project.Id,
            { Kind: ApiKeyKind.Workspace } => key.WorkspaceId == project.Project.WorkspaceId,
            _ => false,
        };
        if (!owns) return AuthenticateResult.Fail("The key is unknown, revoked, expired or not this project's.");

        var identity = new ClaimsIdentity(
            [new Claim("key_id", key!.Id.ToString()), new Claim("key_kind", key.Kind.ToString())], Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return AdminErrors.KeyRequired.ToResult().ExecuteAsync(Context);
    }
}
