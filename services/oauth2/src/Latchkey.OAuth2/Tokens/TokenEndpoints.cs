using Latchkey.ServiceDefaults;
using Latchkey.Tenancy;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.OAuth2.Tokens;

/// <summary>Hydra's admin token endpoints: introspection and revoking every token of a client.</summary>
public static class TokenEndpoints
{
    public static RouteGroupBuilder MapTokens(this RouteGroupBuilder admin)
    {
        admin.MapPost("/oauth2/introspect", Introspect).DisableAntiforgery();
        admin.MapDelete("/oauth2/tokens", DeleteForClient);
        return admin;
    }

    /// <summary>
    /// Runs OpenIddict's own token validation (signature, entry status, expiry) for the token and maps the
    /// result to Hydra's introspection JSON. Anything that does not validate is simply inactive.
    /// </summary>
    static async Task<IResult> Introspect(HttpRequest request, IOpenIddictServerFactory factory, IOpenIddictServerDispatcher dispatcher, IProjectContext project, TokenStore tokens)
    {
        if (!request.HasFormContentType)
            return TokenErrors.IntrospectionNotAForm.ToResult();
        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        var token = form["token"].ToString();
        if (string.IsNullOrEmpty(token))
            return TokenErrors.IntrospectionTokenMissing.ToResult();

        // The token's entry may come from memory: see IntrospectionCache for why that is still exact.
        tokens.Introspecting = true;
        var transaction = await factory.CreateTransactionAsync();
        transaction.Request = new OpenIddictRequest();
        var context = new ValidateTokenContext(transaction)
        {
            Token = token,
            ValidTokenTypes = { TokenTypeIdentifiers.AccessToken, TokenTypeIdentifiers.RefreshToken },
        };
        await dispatcher.DispatchAsync(context);
        if (context.IsRejected || context.Principal is not { } principal) return Inactive();

        var scopes = principal.GetScopes();
        var required = form["scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (required.Any(s => !scopes.Contains(s))) return Inactive();

        var type = principal.GetTokenType();
        return Results.Json(new IntrospectionJson
        {
            Active = true,
            ClientId = principal.GetClaim(Claims.ClientId) ?? principal.GetPresenters().FirstOrDefault(),
            Sub = principal.GetClaim(Claims.Subject),
            Scope = string.Join(' ', scopes),
            Aud = [.. principal.GetAudiences()],
            Exp = principal.GetExpirationDate()?.ToUnixTimeSeconds(),
            Iat = principal.GetCreationDate()?.ToUnixTimeSeconds(),
            Nbf = principal.GetCreationDate()?.ToUnixTimeSeconds(),
            Iss = project.Issuer,
            TokenType = "Bearer",
            TokenUse = type == TokenTypeIdentifiers.RefreshToken ? "refresh_token" : "access_token",
            Ext = Hooks.ExtraClaims.Read(principal, destination: null) is { Count: > 0 } ext ? ext : null,
        });
    }

    static IResult Inactive() => Results.Json(new IntrospectionJson { Active = false });

    static async Task<IResult> DeleteForClient(string? client_id, TokenStore tokens, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(client_id))
            return TokenErrors.ClientIdParameterMissing.ToResult();
        await tokens.RevokeByApplicationIdAsync(client_id, ct);
        return Results.NoContent();
    }
}
