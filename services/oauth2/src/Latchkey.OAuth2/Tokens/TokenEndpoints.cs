using System.Text.Json;
using Latchkey.ServiceDefaults;
using Latchkey.Tenancy;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
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
    /// result to Hydra's introspection JSON. Anything that does not validate is simply inactive. The answer for an
    /// opaque token may come from memory: see <see cref="IntrospectionCache"/> for why that is still exact.
    /// </summary>
    static async Task<IResult> Introspect(HttpRequest request, IOpenIddictServerFactory factory, IOpenIddictServerDispatcher dispatcher,
        IProjectContext project, OpaqueTokens opaque, IntrospectionCache cache, TimeProvider time, IOptions<JsonOptions> json)
    {
        if (!request.HasFormContentType)
            return TokenErrors.IntrospectionNotAForm.ToResult();
        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        var token = form["token"].ToString();
        if (string.IsNullOrEmpty(token))
            return TokenErrors.IntrospectionTokenMissing.ToResult();
        var required = form["scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);

        var tenant = project.Project.TenantId;
        Guid? id = OpaqueTokens.LooksOpaque(token) && opaque.Verify(project.Project.Id, token) is { } signature ? OpaqueTokens.IdFor(signature) : null;
        if (id is { } known && cache.Find(tenant, known, token) is { } remembered) return Send(remembered, required);
        // Read before the entry is: an answer worked out while the entry changed is remembered as already stale.
        var generation = cache.GenerationOf(tenant);

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
        var expires = principal.GetExpirationDate();
        var answer = new IntrospectionCache.Answer(id is null ? "" : token[..OpaqueTokens.PrefixLength], JsonSerializer.SerializeToUtf8Bytes(new IntrospectionJson
        {
            Active = true,
            ClientId = principal.GetClaim(Claims.ClientId) ?? principal.GetPresenters().FirstOrDefault(),
            Sub = principal.GetClaim(Claims.Subject),
            Scope = string.Join(' ', scopes),
            Aud = [.. principal.GetAudiences()],
            Exp = expires?.ToUnixTimeSeconds(),
            Iat = principal.GetCreationDate()?.ToUnixTimeSeconds(),
            Nbf = principal.GetCreationDate()?.ToUnixTimeSeconds(),
            Iss = project.Issuer,
            TokenType = "Bearer",
            TokenUse = principal.GetTokenType() == TokenTypeIdentifiers.RefreshToken ? "refresh_token" : "access_token",
            Ext = Hooks.ExtraClaims.Read(principal, destination: null) is { Count: > 0 } ext ? ext : null,
        }, json.Value.SerializerOptions), scopes.ToHashSet(StringComparer.Ordinal));
        if (id is { } entry)
            cache.Remember(tenant, entry, answer, generation, (expires ?? DateTimeOffset.MaxValue) - time.GetUtcNow());
        return Send(answer, required);
    }

    static IResult Send(IntrospectionCache.Answer answer, string[] required) =>
        required.All(answer.Scopes.Contains) ? Results.Bytes(answer.Json, "application/json; charset=utf-8") : Inactive();

    static IResult Inactive() => Results.Json(new IntrospectionJson { Active = false });

    static async Task<IResult> DeleteForClient(string? client_id, TokenStore tokens, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(client_id))
            return TokenErrors.ClientIdParameterMissing.ToResult();
        await tokens.RevokeByApplicationIdAsync(client_id, ct);
        return Results.NoContent();
    }
}
