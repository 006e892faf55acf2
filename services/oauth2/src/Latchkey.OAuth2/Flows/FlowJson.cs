using System.Text.Json.Nodes;
using Latchkey.OAuth2.Clients;

namespace Latchkey.OAuth2.Flows;

/// <summary>Hydra's <c>oAuth2LoginRequest</c>.</summary>
public sealed record LoginRequestJson(
    string Challenge, bool Skip, string Subject, ClientJson Client, string RequestUrl,
    IReadOnlyList<string> RequestedScope, IReadOnlyList<string> RequestedAccessTokenAudience, string SessionId, JsonObject OidcContext);

/// <summary>Hydra's <c>oAuth2ConsentRequest</c>.</summary>
public sealed record ConsentRequestJson(
    string Challenge, string ConsentRequestId, string? Subject, ClientJson Client, bool Skip, string RequestUrl,
    IReadOnlyList<string> RequestedScope, IReadOnlyList<string> RequestedAccessTokenAudience,
    string LoginChallenge, string LoginSessionId, string? Acr, IReadOnlyList<string> Amr, JsonObject? Context, JsonObject OidcContext)
{
    /// <param name="client">Null when the client was deleted since: a consent session still lists it by id.</param>
    public static ConsentRequestJson Of(LoginConsentFlow flow, StoredClient? client) =>
        new(flow.ConsentChallenge!, flow.Id.ToString(), flow.Subject, client is null ? new ClientJson { ClientId = flow.ClientId } : ClientJson.From(client),
            flow.ConsentSkip, flow.RequestUrl, flow.RequestedScope, flow.RequestedAudience, flow.LoginChallenge, flow.LoginSessionId,
            flow.Acr, flow.Amr, flow.Context, flow.OidcContext ?? []);
}

/// <summary>Hydra's <c>acceptOAuth2LoginRequest</c>.</summary>
public sealed record AcceptLoginJson(
    string? Subject, bool? Remember, long? RememberFor, string? Acr, List<string>? Amr, JsonObject? Context);

/// <summary>Hydra's <c>acceptOAuth2ConsentRequest</c>.</summary>
public sealed record AcceptConsentJson(
    List<string>? GrantScope, List<string>? GrantAccessTokenAudience, bool? Remember, long? RememberFor, ConsentClaimsJson? Session, JsonObject? Context);

/// <summary>Hydra's consent <c>session</c>: the claims to put in access tokens and ID tokens.</summary>
public sealed record ConsentClaimsJson(JsonObject? AccessToken, JsonObject? IdToken);

/// <summary>Hydra's <c>rejectOAuth2Request</c>.</summary>
public sealed record RejectJson(string? Error, string? ErrorDescription, string? ErrorHint, int? StatusCode);

public sealed record RedirectJson(string RedirectTo);

/// <summary>Hydra's <c>oAuth2LogoutRequest</c>.</summary>
public sealed record LogoutRequestJson(
    string Challenge, string Subject, string Sid, ClientJson? Client, string RequestUrl, bool RpInitiated, DateTimeOffset RequestedAt, DateTimeOffset ExpiresAt);
