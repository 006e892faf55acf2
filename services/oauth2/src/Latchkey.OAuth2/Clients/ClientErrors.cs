using Latchkey.ServiceDefaults;

namespace Latchkey.OAuth2.Clients;

/// <summary>The named errors of client registration and of client rules at the token endpoint (ids LK1500–LK1999).</summary>
public static class ClientErrors
{
    public static OAuth2Error UnregisteredGrant(string grant) =>
        Entry("LK1500", "unauthorized_client",
            $"The client is not authorized to request a token using this method. The OAuth 2.0 Client is not allowed to use authorization grant '{grant}'.", 400);

    public static OAuth2Error WrongAuthMethod(string registered, string used) =>
        Entry("LK1501", "invalid_client",
            $"Client authentication failed. The OAuth 2.0 Client supports client authentication method '{registered}', but method '{used}' was requested.", 401);

    public static OAuth2Error AuthThrottled(string retryAfterSeconds) =>
        Entry("LK1502", "temporarily_unavailable",
            $"Too many failed client authentications for this client or from this address. Retry after {retryAfterSeconds} seconds.", StatusCodes.Status429TooManyRequests);

    public static OAuth2Error NotFound(string id) =>
        OAuth2Error.NotFound($"The OAuth 2.0 client '{id}' does not exist.") with { Id = "LK1503" };

    public static OAuth2Error AlreadyExists(string id) =>
        OAuth2Error.Conflict($"An OAuth 2.0 client with id '{id}' already exists.") with { Id = "LK1505" };

    public static readonly OAuth2Error ClientIdImmutable =
        OAuth2Error.InvalidRequest("client_id cannot be changed.") with { Id = "LK1506" };

    /// <summary>The JSON Patch document is malformed or one of its operations fails, as the description says.</summary>
    public static OAuth2Error InvalidPatch(string why) =>
        OAuth2Error.InvalidRequest(why) with { Id = "LK1507" };

    public static OAuth2Error PatchedClientUnreadable(string why) =>
        OAuth2Error.InvalidRequest($"The patched client is not valid: {why}") with { Id = "LK1508" };

    // Hydra's client rules, as ClientValidator checks them (LK1520–LK1549).

    public static readonly OAuth2Error MalformedClientId =
        Metadata("LK1520", "client_id must be 1 to 255 characters without spaces, ':' or '/'.");

    public static OAuth2Error ListTooLong(string list, int entries) =>
        Metadata("LK1521", $"{list} has {entries} entries; at most {ClientValidator.MaxListEntries} are allowed.");

    public static OAuth2Error ListEntryTooLong(string list) =>
        Metadata("LK1522", $"Every entry of {list} must be a string of at most {ClientValidator.MaxEntryLength} characters.");

    public static readonly OAuth2Error ScopeTooLong =
        Metadata("LK1523", $"scope must be at most {ClientValidator.MaxListEntries * 64} characters.");

    public static readonly OAuth2Error ClientNameTooLong =
        Metadata("LK1524", "client_name must be at most 1024 characters.");

    public static OAuth2Error UnsupportedGrantType(string grant) =>
        Metadata("LK1525", $"grant_types contains an unsupported grant type '{grant}'.");

    public static OAuth2Error UnsupportedResponseType(string response) =>
        Metadata("LK1526", $"response_types contains an unsupported response type '{response}'.");

    public static OAuth2Error UnknownAuthMethod(string method) =>
        Metadata("LK1527", $"token_endpoint_auth_method '{method}' is not one of client_secret_basic, client_secret_post, private_key_jwt, none.");

    public static OAuth2Error UnknownAccessTokenStrategy(string? strategy) =>
        Metadata("LK1529", $"access_token_strategy '{strategy}' is not one of jwt, opaque (or empty for the project's strategies.access_token).");

    public static readonly OAuth2Error UnknownSubjectType =
        Metadata("LK1530", "subject_type must be 'public' or 'pairwise'.");

    /// <summary>A redirect or post-logout URI <see cref="ClientValidator.RedirectProblem"/> refuses, and why.</summary>
    public static OAuth2Error RedirectUriNotAllowed(string uri, string why) =>
        Metadata("LK1531", $"Redirect URI '{uri}' is not allowed: {why}");

    public static readonly OAuth2Error PublicClientCredentials =
        Metadata("LK1532", "A public client (token_endpoint_auth_method 'none') cannot use the client_credentials grant.");

    public static readonly OAuth2Error SecretTooShort =
        Metadata("LK1533", "client_secret must be at least 6 characters long.");

    public static readonly OAuth2Error MalformedScope =
        Metadata("LK1534", "scope must be a space-separated list of scopes.");

    /// <summary>A back- or front-channel logout URI that is not an http(s) URI <see cref="ClientValidator.RedirectProblem"/> allows.</summary>
    public static OAuth2Error LogoutUriNotAllowed(string field, string uri, string why) =>
        Metadata("LK1650", $"{field} '{uri}' is not allowed: {why}");

    public static OAuth2Error FrontchannelLogoutUriOrigin(string uri) =>
        Metadata("LK1651", $"frontchannel_logout_uri '{uri}' must have the scheme, host and port of one of the client's redirect_uris (Front-Channel Logout 1.0 §2).");

    // Client lifecycle and Hydra's further client fields (LK1550–LK1599).

    public static OAuth2Error LifespanNotADuration(string field) =>
        Metadata("LK1550", $"{field} must be a positive duration such as 1h, 30m or 1h30m0s.");

    public static OAuth2Error LifespanTooLong(string field) =>
        Metadata("LK1551", $"{field} must be at most {ClientLifespans.Max.TotalDays:0} days.");

    public static OAuth2Error RotationUnsupported(string method) =>
        OAuth2Error.InvalidRequest($"The client is configured to use the \"{method}\" authentication method, which does not support client secret rotation.") with { Id = "LK1552" };

    public static OAuth2Error NotAnHttpUri(string field, string uri) =>
        Metadata("LK1554", $"{field} '{uri}' must be an absolute URI with https:// or http:// as scheme.");

    public static OAuth2Error MalformedCorsOrigin(string origin) =>
        Metadata("LK1555", $"Origin URL {origin} from allowed_cors_origins must be scheme://host[:port] with http or https, without user, path, query or fragment.");

    public static readonly OAuth2Error UnsupportedUserinfoAlg =
        Metadata("LK1556", "Field userinfo_signed_response_alg can either be 'none' or 'RS256'.");

    public static OAuth2Error FieldTooLong(string field) =>
        Metadata("LK1558", $"{field} must be at most {ClientValidator.MaxEntryLength} characters.");

    // JWT client authentication (private_key_jwt) and its client fields (LK1600–LK1649).

    public static readonly OAuth2Error JwksAndJwksUri =
        Metadata("LK1600", "Fields jwks and jwks_uri can not both be set, you must choose one.");

    public static readonly OAuth2Error PrivateKeyJwtNeedsKeys =
        Metadata("LK1601", "When token_endpoint_auth_method is 'private_key_jwt', either jwks or jwks_uri must be set.");

    public static readonly OAuth2Error ClientSecretJwtUnsupported =
        Metadata("LK1602", "token_endpoint_auth_method 'client_secret_jwt' is not supported: client secrets are stored only as hashes, which cannot verify an HMAC-signed assertion (Hydra refuses it for the same reason). Use private_key_jwt.");

    public static OAuth2Error JwksInvalid(string why) =>
        Metadata("LK1603", $"jwks is not usable: {why}");

    public static readonly OAuth2Error JwksUriInvalid =
        Metadata("LK1604", "jwks_uri must be an absolute http(s) URL of at most 2048 characters, without user information or fragment.");

    public static OAuth2Error UnknownSigningAlg(string alg) =>
        Metadata("LK1605", $"token_endpoint_auth_signing_alg '{alg}' is not one of {string.Join(", ", ClientAssertions.Algorithms)}.");

    public static OAuth2Error KeysUnavailable(string why) =>
        Entry("LK1606", "invalid_client", $"Client authentication failed. The client's JSON Web Keys are not available: {why}", 401);

    public static OAuth2Error AssertionAlgorithm(string registered, string used) =>
        Entry("LK1607", "invalid_client",
            $"Client authentication failed. The client registered token_endpoint_auth_signing_alg '{registered}', but the client_assertion is signed with '{used}'.", 401);

    public static OAuth2Error AssertionClaim(string why) =>
        Entry("LK1608", "invalid_client", $"Client authentication failed. The client_assertion is not acceptable: {why}", 401);

    public static readonly OAuth2Error AssertionReplayed =
        Entry("LK1609", "invalid_client", "Client authentication failed. The client_assertion's jti (JWT ID) was used before; each assertion is single use.", 401);

    static OAuth2Error Metadata(string id, string why) => OAuth2Error.InvalidClientMetadata(why) with { Id = id };

    static OAuth2Error Entry(string id, string error, string description, int status) => new(error, description, status) { Id = id };
}
