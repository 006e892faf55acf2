using Latchkey.ServiceDefaults;

namespace Latchkey.OAuth2.Credentials;

/// <summary>The named errors of the verifiable credentials endpoint, <c>POST /credentials</c> (ids LK4700–LK4799), in Hydra's words.</summary>
public static class CredentialErrors
{
    public static readonly OAuth2Error MissingToken =
        new OAuth2Error("invalid_request", "The request is missing a required parameter, includes an invalid parameter value, or is otherwise malformed. The request carries no bearer access token.", 401) { Id = "LK4700" };

    /// <summary>Not an access token of this project, or revoked, or expired.</summary>
    public static readonly OAuth2Error InvalidToken =
        new OAuth2Error("invalid_token", "The access token provided is expired, revoked, malformed, or invalid for other reasons.", 401) { Id = "LK4701" };

    /// <summary>A credential attests who the user is: only for tokens the user consented to that for.</summary>
    public static readonly OAuth2Error InsufficientScope =
        new OAuth2Error("insufficient_scope", $"The request requires higher privileges than provided by the access token. The access token was not granted the scopes \"openid\" and \"{CredentialNonces.Scope}\".", 403) { Id = "LK4702" };

    public static readonly OAuth2Error UndecodableBody =
        OAuth2Error.InvalidRequest("Unable to decode request body.") with { Id = "LK4703" };

    public static OAuth2Error UnsupportedFormat(string? format) =>
        OAuth2Error.InvalidRequest($"The format \"{format}\" is not supported.") with { Id = "LK4704" };

    public static OAuth2Error UnsupportedProofType(string? proofType) =>
        OAuth2Error.InvalidRequest($"The proof type \"{proofType}\" is not supported.") with { Id = "LK4705" };

    public static readonly OAuth2Error MalformedProof =
        OAuth2Error.InvalidRequest("The JWT in the proof is malformed.") with { Id = "LK4706" };

    /// <summary>No <c>jwk</c> header, a key of another type than RSA or EC, or one with private members.</summary>
    public static readonly OAuth2Error MalformedProofKey =
        OAuth2Error.InvalidRequest("The JWK in the JWT header is malformed.") with { Id = "LK4707" };

    public static readonly OAuth2Error ProofNotSigned =
        OAuth2Error.InvalidRequest("The JWT was not signed with the correct key supplied in the JWK header.") with { Id = "LK4708" };

    public static readonly OAuth2Error ProofWithoutNonce =
        OAuth2Error.InvalidRequest("The JWT did not contain the \"nonce\" claim.") with { Id = "LK4709" };

    /// <summary>Not a nonce issued for this access token of this project.</summary>
    public static readonly OAuth2Error InvalidNonce =
        OAuth2Error.InvalidRequest("The nonce is invalid.") with { Id = "LK4710" };

    public static readonly OAuth2Error NonceExpired =
        OAuth2Error.InvalidRequest("The nonce has expired.") with { Id = "LK4711" };

    public static readonly OAuth2Error NonceUsed =
        OAuth2Error.InvalidRequest("The nonce was already used; request a fresh one by sending the request without a proof.") with { Id = "LK4712" };

    /// <summary>Hydra's priming answer (with a fresh <c>c_nonce</c>) to a request without a proof.</summary>
    public static readonly OAuth2Error MissingProof =
        new OAuth2Error("missing_proof", "Could not issue a verifiable credential because the proof is missing in the request.", 400) { Id = "LK4713" };
}
