using Latchkey.ServiceDefaults;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Latchkey.OAuth2.Flows;

/// <summary>
/// Every expected failure of the login, consent and logout flows and of the session admin API, with its stable id
/// (LK3000–LK3499). Entries without the <see cref="OAuth2Error.InvalidRequest"/> prefix are OpenIddict rejections at
/// the authorization or end-session endpoint, where the description is sent as written.
/// </summary>
public static class FlowErrors
{
    public static readonly OAuth2Error UnknownLoginChallenge =
        OAuth2Error.NotFound("The login challenge is unknown or has expired.") with { Id = "LK3000" };

    public static readonly OAuth2Error UnknownConsentChallenge =
        OAuth2Error.NotFound("The consent challenge is unknown or has expired.") with { Id = "LK3001" };

    public static readonly OAuth2Error UnknownLogoutChallenge =
        OAuth2Error.NotFound("The logout challenge is unknown or has expired.") with { Id = "LK3002" };

    /// <summary>Hydra answers 410 for a request that was already handled; the body says where the browser goes.</summary>
    public static readonly OAuth2Error AlreadyHandled =
        new OAuth2Error("Gone", "The request was already handled.", 410) with { Id = "LK3003" };

    public static readonly OAuth2Error HandledConcurrently =
        OAuth2Error.Conflict("The request was handled concurrently.") with { Id = "LK3004" };

    public static readonly OAuth2Error SubjectEmpty =
        OAuth2Error.InvalidRequest("Field 'subject' must not be empty.") with { Id = "LK3005" };

    public static readonly OAuth2Error SubjectNotRemembered =
        OAuth2Error.InvalidRequest("Field 'subject' does not match the subject of the remembered login session.") with { Id = "LK3006" };

    public static readonly OAuth2Error RememberForNegative =
        OAuth2Error.InvalidRequest("Field 'remember_for' must not be negative.") with { Id = "LK3007" };

    public static readonly OAuth2Error RememberForTooLong =
        OAuth2Error.InvalidRequest($"Field 'remember_for' must be at most {LoginConsentFlow.MaxRememberForSeconds} seconds (ten years); 0 remembers until revoked.") with { Id = "LK3008" };

    public static OAuth2Error ScopeNotRequested(string scope) =>
        OAuth2Error.InvalidRequest($"Scope '{scope}' was not requested and cannot be granted.") with { Id = "LK3009" };

    public static OAuth2Error AudienceNotAllowed(string audience) =>
        OAuth2Error.InvalidRequest($"Audience '{audience}' is not allowed for this client.") with { Id = "LK3010" };

    public static OAuth2Error AudienceNotWhitelisted(string audience) =>
        new OAuth2Error(Errors.InvalidRequest, $"Requested audience '{audience}' has not been whitelisted by the OAuth 2.0 Client.", 400) with { Id = "LK3011" };

    public static readonly OAuth2Error LoginRequired =
        new OAuth2Error(Errors.LoginRequired, "prompt=none was requested, but the user has no remembered login session that satisfies the request.", 400) with { Id = "LK3012" };

    public static readonly OAuth2Error ConsentRequired =
        new OAuth2Error(Errors.ConsentRequired, "prompt=none was requested, but the user has not granted this client the requested scopes.", 400) with { Id = "LK3013" };

    public static readonly OAuth2Error InvalidVerifier =
        new OAuth2Error(Errors.InvalidRequest, "The login or consent verifier is invalid, expired, was already used, or belongs to another browser.", 400) with { Id = "LK3014" };

    public static readonly OAuth2Error InvalidLogoutVerifier =
        new OAuth2Error(Errors.InvalidRequest, "The logout verifier is invalid, expired, was already used, or belongs to another browser.", 400) with { Id = "LK3015" };

    public static readonly OAuth2Error PostLogoutRedirectWithoutHint =
        new OAuth2Error(Errors.InvalidRequest, "The post_logout_redirect_uri parameter requires an id_token_hint.", 400) with { Id = "LK3016" };

    public static readonly OAuth2Error PostLogoutRedirectNotRegistered =
        new OAuth2Error(Errors.InvalidRequest, "The post_logout_redirect_uri is not registered for the client the id_token_hint was issued to.", 400) with { Id = "LK3017" };

    public static readonly OAuth2Error HintForAnotherUser =
        new OAuth2Error(Errors.InvalidRequest, "The id_token_hint was issued to another user than the one signed in.", 400) with { Id = "LK3018" };

    public static readonly OAuth2Error SubjectRequired =
        OAuth2Error.InvalidRequest("The 'subject' query parameter is required.") with { Id = "LK3019" };

    public static readonly OAuth2Error ConsentRequestIdMalformed =
        OAuth2Error.InvalidRequest("The 'consent_request_id' query parameter is not a consent request id.") with { Id = "LK3020" };

    public static readonly OAuth2Error ConsentRevocationUnscoped =
        OAuth2Error.InvalidRequest("Name a 'client', a 'consent_request_id', or set 'all=true' to revoke every consent of the subject.") with { Id = "LK3021" };

    public static readonly OAuth2Error LoginRevocationUnscoped =
        OAuth2Error.InvalidRequest("Name the 'subject' or the session id 'sid' whose login sessions to end.") with { Id = "LK3022" };
}
