using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Latchkey.OAuth2.Outbound;
using Latchkey.OAuth2.Server;
using Latchkey.Tenancy;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.OAuth2.Hooks;

/// <summary>
/// Hydra's token hooks (oauth2/token_hook.go, refresh_hook.go), before every token the token endpoint issues: the
/// project's <c>oauth2/refresh_token_hook</c> for the refresh-token grant, then its <c>oauth2/token_hook</c> for every
/// grant, each POSTed Hydra's body through <see cref="OutboundHttp"/>. A 200's <c>session.access_token</c> and
/// <c>session.id_token</c> become the tokens' extra claims (<see cref="ExtraClaims"/>), a 204 changes nothing, a 403
/// denies the request with <c>access_denied</c>, and anything else (no answer in time, another status, a body that
/// is not Hydra's) denies it with <c>server_error</c>. Runs after the lifespans are attached and before OpenIddict
/// prepares the tokens' principals, so both the access token and the ID token see the claims.
/// </summary>
public sealed class TokenHook(OutboundHttp outbound, IProjectContext project, ILogger<TokenHook> logger) : IOpenIddictServerHandler<ProcessSignInContext>
{
    /// <summary>Hydra reads at most 5 MiB of a hook's answer.</summary>
    const int MaxAnswerBytes = 5 << 20;

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        Handler.Scoped<ProcessSignInContext, TokenHook>(OpenIddictServerHandlers.PrepareAccessTokenPrincipal.Descriptor.Order - 50);

    public async ValueTask HandleAsync(ProcessSignInContext context)
    {
        if (context.EndpointType != OpenIddictServerEndpointType.Token || context.Principal is not { } principal) return;
        var hooks = project.Project.OAuth2.OAuth2;
        if (hooks.TokenHook is null && hooks.RefreshTokenHook is null) return;

        if (hooks.RefreshTokenHook is { } refresh && context.Request.IsRefreshTokenGrantType())
        {
            if (await CallAsync(context, principal, refresh, RefreshHookBody(context, principal)) is { } refused)
            {
                context.Reject(refused);
                return;
            }
        }
        if (hooks.TokenHook is { } hook && await CallAsync(context, principal, hook, TokenHookBody(context, principal)) is { } denied)
            context.Reject(denied);
    }

    async Task<Latchkey.ServiceDefaults.OAuth2Error?> CallAsync(ProcessSignInContext context, ClaimsPrincipal principal, HookConfig hook, JsonObject body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, hook.Url)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (hook.Auth is { Config: var auth })
        {
            if (auth.In == "cookie") request.Headers.Add("Cookie", $"{auth.Name}={auth.Value}");
            else request.Headers.TryAddWithoutValidation(auth.Name, auth.Value);
        }

        JsonNode? answer;
        try
        {
            using var response = await outbound.For(project).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.CancellationToken);
            switch (response.StatusCode)
            {
                case HttpStatusCode.NoContent:
                    return null;
                case HttpStatusCode.Forbidden:
                    return HookErrors.Denied;
                case not HttpStatusCode.OK:
                    return Failed($"it answered HTTP {(int)response.StatusCode}.");
            }
            answer = await ReadAsync(response.Content, context.CancellationToken);
        }
        catch (OperationCanceledException) when (!context.CancellationToken.IsCancellationRequested)
        {
            return Failed($"it did not answer within {OutboundHttp.Timeout.TotalSeconds:0} seconds.");
        }
        catch (HttpRequestException ex)
        {
            return Failed("it could not be reached.", ex.Message);
        }
        catch (JsonException)
        {
            return Failed("its answer is not JSON.");
        }

        if (answer is not JsonObject { } root || root["session"] is not (JsonObject or null)
            || root["session"]?["access_token"] is not (JsonObject or null) || root["session"]?["id_token"] is not (JsonObject or null))
            return Failed("its answer is not {\"session\": {\"access_token\": {…}, \"id_token\": {…}}}.");
        ExtraClaims.Replace(principal, root["session"]?["access_token"]?.AsObject(), root["session"]?["id_token"]?.AsObject());
        return null;

        // The client is told what failed, the project's logs also why; neither sees the hook's credential or the token request.
        Latchkey.ServiceDefaults.OAuth2Error Failed(string why, string? detail = null)
        {
            logger.LogWarning("Token hook of project {ProjectId} at {HookHost} failed: {Why} {Detail}", project.Project.Id, new Uri(hook.Url).Host, why, detail);
            return HookErrors.Failed(why);
        }
    }

    static async Task<JsonNode?> ReadAsync(HttpContent content, CancellationToken ct)
    {
        if (content.Headers.ContentLength > MaxAnswerBytes) throw new JsonException("too large");
        await using var stream = await content.ReadAsStreamAsync(ct);
        using var limited = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(buffer, ct)) > 0)
        {
            if (limited.Length + read > MaxAnswerBytes) throw new JsonException("too large");
            limited.Write(buffer, 0, read);
        }
        limited.Position = 0;
        return await JsonNode.ParseAsync(limited, cancellationToken: ct);
    }

    /// <summary>Hydra's <c>TokenHookRequest</c>: <c>{session, request}</c>; of the form, only a JWT-bearer <c>assertion</c>, as Hydra sanitizes it.</summary>
    JsonObject TokenHookBody(ProcessSignInContext context, ClaimsPrincipal principal)
    {
        var payload = new JsonObject();
        if (context.Request.Assertion is { } assertion) payload["assertion"] = new JsonArray(assertion);
        return new JsonObject
        {
            ["session"] = Session(context, principal),
            ["request"] = new JsonObject
            {
                ["client_id"] = context.ClientId,
                ["requested_scopes"] = Strings(context.Request.GetScopes()),
                ["granted_scopes"] = Strings(principal.GetScopes()),
                ["granted_audience"] = Strings(principal.GetAudiences()),
                ["grant_types"] = new JsonArray(context.Request.GrantType),
                ["payload"] = payload,
            },
        };
    }

    /// <summary>Hydra's <c>RefreshTokenHookRequest</c>.</summary>
    JsonObject RefreshHookBody(ProcessSignInContext context, ClaimsPrincipal principal) => new()
    {
        ["subject"] = principal.GetClaim(Claims.Subject) ?? "",
        ["session"] = Session(context, principal),
        ["requester"] = new JsonObject
        {
            ["client_id"] = context.ClientId,
            ["granted_scopes"] = Strings(principal.GetScopes()),
            ["granted_audience"] = Strings(principal.GetAudiences()),
            ["grant_types"] = new JsonArray(context.Request.GrantType),
        },
        ["client_id"] = context.ClientId,
        ["granted_scopes"] = Strings(principal.GetScopes()),
        ["granted_audience"] = Strings(principal.GetAudiences()),
    };

    /// <summary>Hydra's <c>oauth2.Session</c> as it marshals it: the ID token's claims and headers, and the access token's extra claims.</summary>
    JsonObject Session(ProcessSignInContext context, ClaimsPrincipal principal)
    {
        var subject = principal.GetClaim(Claims.Subject) ?? "";
        var idTokenClaims = new JsonObject
        {
            ["iss"] = project.Issuer,
            ["sub"] = subject,
            ["aud"] = new JsonArray(context.ClientId),
            ["ext"] = ExtraClaims.Read(principal, Destinations.IdentityToken),
        };
        if (principal.GetClaim(Claims.AuthenticationTime) is { } authTime && long.TryParse(authTime, out var at)) idTokenClaims["auth_time"] = at;
        if (principal.GetClaim(Claims.AuthenticationContextReference) is { } acr) idTokenClaims["acr"] = acr;
        return new JsonObject
        {
            ["id_token"] = new JsonObject
            {
                ["id_token_claims"] = idTokenClaims,
                ["headers"] = new JsonObject { ["extra"] = new JsonObject() },
                ["username"] = "",
                ["subject"] = subject,
            },
            ["extra"] = ExtraClaims.Read(principal, Destinations.AccessToken),
            ["client_id"] = context.ClientId,
            ["consent_challenge"] = "",
            ["exclude_not_before_claim"] = false,
            ["allowed_top_level_claims"] = new JsonArray(),
            ["mirror_top_level_claims"] = false,
        };
    }

    static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);
}
