using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Latchkey.ServiceDefaults;

/// <summary>
/// An API key as a bearer token (<c>Authorization: Bearer …</c>): what each service's key scheme shares.
/// A service says which keys it admits and as whom (<see cref="VerifyAsync"/>) and how it answers a refusal
/// (<see cref="Refusal"/>, in its own error shape); the challenge always carries <c>WWW-Authenticate: Bearer</c>.
/// </summary>
public abstract class BearerKeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    const string Bearer = "Bearer ";

    /// <summary>The caller's claims if the key is admitted here; null if it is unknown, revoked, expired or not for this resource.</summary>
    protected abstract Task<IReadOnlyList<Claim>?> VerifyAsync(string key, CancellationToken ct);

    /// <summary>The 401 body; <paramref name="keyMissing"/> tells no key at all from a key that does not verify.</summary>
    protected abstract IResult Refusal(bool keyMissing);

    protected sealed override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase) || header.Length == Bearer.Length)
            return AuthenticateResult.NoResult();

        var claims = await VerifyAsync(header[Bearer.Length..].Trim(), Context.RequestAborted);
        if (claims is null) return AuthenticateResult.Fail("The key is unknown, revoked, expired or not admitted here.");

        var identity = new ClaimsIdentity(claims, Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected sealed override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.Headers.WWWAuthenticate = "Bearer";
        await Refusal(result.None).ExecuteAsync(Context);
    }
}
