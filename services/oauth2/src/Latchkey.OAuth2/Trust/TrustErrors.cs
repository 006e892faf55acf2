using Latchkey.ServiceDefaults;

namespace Latchkey.OAuth2.Trust;

/// <summary>The named errors of the trust admin API and of the jwt-bearer grant (ids LK1300–LK1399).</summary>
public static class TrustErrors
{
    // The admin API, with Hydra's error for what its validator refuses (LK1300–LK1329).

    public static readonly OAuth2Error IssuerMissing = Missing("LK1300", "Field 'issuer' is required.");

    public static readonly OAuth2Error SubjectMissing = Missing("LK1301", "One of 'subject' or 'allow_any_subject' field must be set.");

    public static readonly OAuth2Error SubjectAndAnySubject =
        Missing("LK1302", "Both 'subject' and 'allow_any_subject' fields cannot be set at the same time.");

    public static readonly OAuth2Error ExpiresAtMissing = Missing("LK1303", "Field 'expires_at' is required.");

    public static readonly OAuth2Error KeyIdMissing = Missing("LK1304", "Field 'jwk' must contain JWK with kid header.");

    public static readonly OAuth2Error ExpiresAtInPast =
        OAuth2Error.InvalidRequest("Field 'expires_at' must be in the future.") with { Id = "LK1305" };

    public static OAuth2Error JwkUnusable(string why) =>
        OAuth2Error.InvalidRequest($"Field 'jwk' must be a public JSON Web Key that can verify signatures: {why}") with { Id = "LK1306" };

    public static readonly OAuth2Error Duplicate =
        OAuth2Error.Conflict("A trust relationship for this issuer, subject and key id (kid) already exists.") with { Id = "LK1307" };

    public static OAuth2Error NotFound(string id) =>
        OAuth2Error.NotFound($"The trust relationship '{id}' does not exist.") with { Id = "LK1308" };

    public static OAuth2Error MalformedId(string id) =>
        OAuth2Error.InvalidRequest($"Unable to parse parameter id: '{id}' is not a UUID.") with { Id = "LK1309" };

    public static OAuth2Error FieldTooLong(string field, int max) =>
        OAuth2Error.InvalidRequest($"Field '{field}' must be at most {max} characters (or entries).") with { Id = "LK1310" };

    public static readonly OAuth2Error BodyUnreadable =
        OAuth2Error.InvalidRequest("The body must be a JSON object: {issuer, subject | allow_any_subject, scope, jwk, expires_at}.") with { Id = "LK1311" };

    // The jwt-bearer grant: fosite's rfc7523 handler's answers (LK1330–LK1369).

    public static readonly OAuth2Error AssertionMissing =
        OAuth2Error.InvalidRequest("The assertion request parameter must be set when using grant_type of 'urn:ietf:params:oauth:grant-type:jwt-bearer'.") with { Id = "LK1330" };

    public static readonly OAuth2Error AssertionUnreadable =
        Grant("LK1331", "Unable to parse JSON Web Token passed in \"assertion\" request parameter.");

    public static readonly OAuth2Error IssuerClaimMissing =
        Grant("LK1332", "The JWT in \"assertion\" request parameter MUST contain an \"iss\" (issuer) claim.");

    public static readonly OAuth2Error SubjectClaimMissing =
        Grant("LK1333", "The JWT in \"assertion\" request parameter MUST contain a \"sub\" (subject) claim.");

    public static OAuth2Error NoTrustedKey(string issuer, string subject) =>
        Grant("LK1334", $"No public JWK was registered for issuer \"{issuer}\" and subject \"{subject}\", and public key is required to check signature of JWT in \"assertion\" request parameter.");

    public static readonly OAuth2Error SignatureInvalid =
        Grant("LK1335", "Unable to verify the integrity of the 'assertion' value.");

    public static readonly OAuth2Error AudienceClaimMissing =
        Grant("LK1336", "The JWT in \"assertion\" request parameter MUST contain an \"aud\" (audience) claim.");

    public static OAuth2Error AudienceNotUs(string tokenEndpoint, string issuer) =>
        Grant("LK1337", $"The JWT in \"assertion\" request parameter MUST contain an \"aud\" (audience) claim containing a value \"{tokenEndpoint}\" or \"{issuer}\" that identifies the authorization server as an intended audience.");

    public static readonly OAuth2Error ExpiryClaimMissing =
        Grant("LK1338", "The JWT in \"assertion\" request parameter MUST contain an \"exp\" (expiration time) claim.");

    public static readonly OAuth2Error Expired = Grant("LK1339", "The JWT in \"assertion\" request parameter expired.");

    public static OAuth2Error NotYetValid(string notBefore) =>
        Grant("LK1340", $"The JWT in \"assertion\" request parameter contains an \"nbf\" (not before) claim, that identifies the time '{notBefore}' before which the token MUST NOT be accepted.");

    public static readonly OAuth2Error IssuedAtClaimMissing =
        Grant("LK1341", "The JWT in \"assertion\" request parameter MUST contain an \"iat\" (issued at) claim.");

    public static OAuth2Error ExpiryTooFar(string expiry, string issuedAt, string maxTtl) =>
        Grant("LK1342", $"The JWT in \"assertion\" request parameter contains an \"exp\" (expiration time) claim with value \"{expiry}\" that is unreasonably far in the future, considering token issued at \"{issuedAt}\" (oauth2.grant.jwt.max_ttl is {maxTtl}).");

    public static readonly OAuth2Error JtiClaimMissing =
        Grant("LK1343", "The JWT in \"assertion\" request parameter MUST contain an \"jti\" (JWT ID) claim.");

    public static readonly OAuth2Error JtiKnown =
        Grant("LK1344", "The JWT in \"assertion\" request parameter was used before: its \"jti\" (JWT ID) claim is single use.");

    public static OAuth2Error ScopeNotTrusted(string issuer, string subject, string scope) =>
        new OAuth2Error("invalid_scope", $"The requested scope is invalid, unknown, or malformed. The public key registered for issuer \"{issuer}\" and subject \"{subject}\" is not allowed to request scope \"{scope}\".", 400) { Id = "LK1345" };

    public static readonly OAuth2Error IssuedAtInFuture =
        Grant("LK1346", "The JWT in \"assertion\" request parameter contains an \"iat\" (issued at) claim in the future.");

    static OAuth2Error Missing(string id, string hint) =>
        new OAuth2Error("missing_required_parameter", $"One of the required parameters is missing. Check your request parameters. {hint}", 400) { Id = id };

    static OAuth2Error Grant(string id, string hint) =>
        new OAuth2Error("invalid_grant", $"The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client. {hint}", 400) { Id = id };
}
