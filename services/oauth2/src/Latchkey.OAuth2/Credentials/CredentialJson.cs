using System.Text.Json.Serialization;

namespace Latchkey.OAuth2.Credentials;

/// <summary>Hydra's <c>CreateVerifiableCredentialRequestBody</c>.</summary>
public sealed record CredentialRequestJson(
    [property: JsonPropertyName("format")] string? Format,
    [property: JsonPropertyName("types")] List<string>? Types,
    [property: JsonPropertyName("proof")] CredentialProofJson? Proof);

/// <summary>Hydra's <c>VerifiableCredentialProof</c>.</summary>
public sealed record CredentialProofJson(
    [property: JsonPropertyName("proof_type")] string? ProofType,
    [property: JsonPropertyName("jwt")] string? Jwt);

/// <summary>Hydra's <c>verifiableCredentialResponse</c>.</summary>
public sealed record CredentialResponseJson(
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("credential_draft_00")] string Credential);

/// <summary>Hydra's <c>verifiableCredentialPrimingResponse</c>: the OAuth2 error <c>missing_proof</c> with a nonce.</summary>
public sealed record CredentialPrimingJson(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string ErrorDescription,
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("c_nonce")] string Nonce,
    [property: JsonPropertyName("c_nonce_expires_in")] long NonceExpiresIn);

/// <summary>Hydra's <c>credentialSupportedDraft00</c>, as discovery lists it.</summary>
public sealed record CredentialSupportedJson(
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("types")] IReadOnlyList<string> Types,
    [property: JsonPropertyName("cryptographic_binding_methods_supported")] IReadOnlyList<string> BindingMethods,
    [property: JsonPropertyName("cryptographic_suites_supported")] IReadOnlyList<string> Suites);
