using Latchkey.ServiceDefaults;

namespace Latchkey.OAuth2.Tokens;

/// <summary>The named errors of the grants, token validation and the admin token endpoints (ids LK2000–LK2499).</summary>
public static class TokenErrors
{
    /// <summary>The client was authenticated a moment ago and is gone now (deleted concurrently).</summary>
    public static readonly OAuth2Error ClientGone =
        Entry("LK2000", "invalid_client", "Client authentication failed.", 401);

    public static OAuth2Error ScopeNotAllowed(string scope) =>
        Entry("LK2001", "invalid_scope",
            $"The requested scope is invalid, unknown, or malformed. The OAuth 2.0 Client is not allowed to request scope '{scope}'.", 400);

    public static OAuth2Error AudienceNotAllowed(string audience) =>
        OAuth2Error.InvalidRequest($"Requested audience '{audience}' has not been whitelisted by the OAuth 2.0 Client.") with { Id = "LK2002" };

    /// <summary>RFC 7009: OpenIddict answers it as the empty 200 of a revocation, so the caller learns nothing.</summary>
    public static readonly OAuth2Error NotIssuedToCaller =
        Entry("LK2003", "invalid_token", "The token was not issued to the client making the revocation request.", 400);

    public static readonly OAuth2Error InvalidToken =
        Entry("LK2004", "invalid_token", "The token is malformed, expired, revoked or was not issued by this project.", 400);

    public static readonly OAuth2Error IntrospectionNotAForm =
        OAuth2Error.InvalidRequest("The request must be application/x-www-form-urlencoded with a 'token' field.") with { Id = "LK2005" };

    public static readonly OAuth2Error IntrospectionTokenMissing =
        OAuth2Error.InvalidRequest("The 'token' field is required.") with { Id = "LK2006" };

    public static readonly OAuth2Error ClientIdParameterMissing =
        OAuth2Error.InvalidRequest("The 'client_id' query parameter is required.") with { Id = "LK2007" };

    static OAuth2Error Entry(string id, string error, string description, int status) => new(error, description, status) { Id = id };
}
