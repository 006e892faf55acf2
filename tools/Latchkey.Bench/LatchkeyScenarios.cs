using Latchkey.Client;

namespace Latchkey.Bench;

/// <summary>
/// The scenarios against Latchkey, in the order they run: token issuance (client_credentials), introspection,
/// discovery, the refresh_token grant, and token issuance again with JWT access tokens (RS256 instead of an HMAC),
/// last because it switches the project over.
/// </summary>
static class LatchkeyScenarios
{
    const string TokenBody = "grant_type=client_credentials&scope=read";

    /// <summary>Checks each hot path answers once, then lists the scenarios over them.</summary>
    public static async Task<IReadOnlyList<Scenario>> CreateAsync(BenchProject project, BenchTarget target, RefreshTokenPool refreshTokens, CancellationToken ct)
    {
        var service = project.ServiceClient;
        var issued = await project.Admin.ClientCredentialsAsync(project.Slug, service.Id, service.Secret, "read", null, ClientAuthMethod.ClientSecretBasic, ct);
        if (!(await project.Admin.IntrospectAsync(project.Slug, issued.AccessToken, ct)).Active)
            Log.Info("warning: introspection of a fresh token did not say active=true");
        await project.Admin.GetDiscoveryAsync(project.Slug, ct);

        return
        [
            new("token-client-credentials", target, new("/oauth2/token", TokenBody, service.Basic)),
            new("introspection", target, new("/admin/oauth2/introspect", "token=" + Uri.EscapeDataString(issued.AccessToken), "Bearer " + project.ApiKey)),
            new("discovery", target, new("/.well-known/openid-configuration")),
            new("token-refresh", target, new("/oauth2/token", Authorization: project.WebClient.Basic)) { RefreshTokens = refreshTokens },
            new("token-client-credentials-jwt", target, new("/oauth2/token", TokenBody, service.Basic))
            {
                Prepare = async ct =>
                {
                    await UseJwtAccessTokensAsync(project, ct);
                    return null;
                },
            },
        ];
    }

    /// <summary>Switches the project to JWT access tokens and waits until the token endpoint issues them.</summary>
    static async Task UseJwtAccessTokensAsync(BenchProject project, CancellationToken ct)
    {
        await project.UseAccessTokenStrategyAsync("jwt", ct);
        var service = project.ServiceClient;
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var token = await project.Admin.ClientCredentialsAsync(project.Slug, service.Id, service.Secret, "read", null, ClientAuthMethod.ClientSecretBasic, ct);
            // A JWT is header.payload.signature; an opaque token starts lk_at_.
            if (!token.AccessToken.StartsWith("lk_at_", StringComparison.Ordinal) && token.AccessToken.Count(c => c == '.') == 2)
                return;
            await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
        }
        throw new BenchException("the token endpoint still issues opaque access tokens after switching the project to jwt");
    }
}
