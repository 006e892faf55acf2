using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Latchkey.OAuth2.Flows;
using Latchkey.OAuth2.Keys;
using Latchkey.ServiceDefaults;
using Latchkey.Tenancy;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.OAuth2.Credentials;

/// <summary>
/// Hydra's <c>POST /credentials</c> (<c>createVerifiableCredential</c>, OpenID Connect UserInfo Verifiable Credentials,
/// draft 00): the bearer of an access token granted <c>openid</c> and <c>userinfo_credential_draft_00</c> proves it
/// holds a key by a JWT signed with it, the key in the JWT's <c>jwk</c> header and the token's <c>c_nonce</c> in its
/// <c>nonce</c> claim; the answer is a JWT VC, signed with the project's ID-token key, that binds the user (<c>sub</c>
/// and the consent's ID-token claims) to that key as a <c>did:jwk</c>. Without a proof, Hydra's priming answer
/// (<c>missing_proof</c> and a fresh <c>c_nonce</c>).
/// </summary>
public static class CredentialEndpoints
{
    public const string Format = "jwt_vc_json";
    public static readonly IReadOnlyList<string> Types = ["VerifiableCredential", "UserInfoCredential"];

    /// <summary>The algorithms a proof may be signed with: Hydra's, without EdDSA, which our JWT library does not verify.</summary>
    public static readonly IReadOnlyList<string> Suites = ["PS256", "RS256", "ES256", "PS384", "RS384", "ES384", "PS512", "RS512", "ES512"];

    public static readonly CredentialSupportedJson Supported = new(Format, Types, ["jwk"], Suites);

    static readonly JsonWebTokenHandler Tokens = new();

    public static void MapCredentials(this IEndpointRouteBuilder app) => app.MapPost("/credentials", Create);

    static async Task<IResult> Create(HttpContext http, IProjectContext project, IOpenIddictServerFactory factory, IOpenIddictServerDispatcher dispatcher,
        CredentialNonces nonces, ProjectKeyRing keys, FlowStore flows, TimeProvider clock, CancellationToken ct)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header["Bearer ".Length..].Trim() is not { Length: > 0 } accessToken)
            return Unauthorized(http, CredentialErrors.MissingToken);
        if (await ValidateAsync(accessToken, factory, dispatcher) is not { } principal) return Unauthorized(http, CredentialErrors.InvalidToken);
        if (!CredentialHandlers.GrantsCredentials(string.Join(' ', principal.GetScopes()))) return CredentialErrors.InsufficientScope.ToResult();

        CredentialRequestJson? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<CredentialRequestJson>(http.Request.Body, cancellationToken: ct);
        }
        catch (JsonException)
        {
            return CredentialErrors.UndecodableBody.ToResult();
        }
        if (body is null) return CredentialErrors.UndecodableBody.ToResult();
        if (body.Format != Format) return CredentialErrors.UnsupportedFormat(body.Format).ToResult();
        if (body.Proof is not { } proof)
        {
            var missing = CredentialErrors.MissingProof;
            ErrorId.Attach(http.Response, missing.Id);
            return Results.Json(new CredentialPrimingJson(missing.Error, missing.Description, "jwt_vc", nonces.Issue(accessToken), (long)nonces.Lifespan.TotalSeconds), statusCode: missing.Status);
        }
        if (proof.ProofType != "jwt") return CredentialErrors.UnsupportedProofType(proof.ProofType).ToResult();

        var (jwk, keyJson, broken) = ProofKey(proof.Jwt);
        if (broken is not null) return broken.ToResult();
        var validated = await Tokens.ValidateTokenAsync(proof.Jwt, new TokenValidationParameters
        {
            IssuerSigningKey = jwk,
            ValidAlgorithms = Suites,
            RequireSignedTokens = true,
            // Hydra checks the signature and the nonce; an expiry, when the proof has one, is honoured too.
            ValidateIssuer = false,
            ValidateAudience = false,
            RequireExpirationTime = false,
            TryAllIssuerSigningKeys = true,
        });
        if (!validated.IsValid || validated.SecurityToken is not JsonWebToken signed) return CredentialErrors.ProofNotSigned.ToResult();
        if (!signed.TryGetPayloadValue<string>("nonce", out var nonce) || string.IsNullOrEmpty(nonce)) return CredentialErrors.ProofWithoutNonce.ToResult();
        if (await nonces.RedeemAsync(accessToken, nonce, ct) is { } refused) return refused.ToResult();

        var subject = principal.GetClaim(Claims.Subject);
        var did = "did:jwk:" + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(keyJson!));
        var credentialSubject = new JsonObject { ["id"] = did, ["sub"] = subject };
        foreach (var (name, value) in await IdTokenClaimsAsync(principal, subject, flows, ct))
            credentialSubject[name] = value?.DeepClone();

        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var payload = new JsonObject
        {
            ["iss"] = project.Issuer,
            ["jti"] = Guid.NewGuid().ToString(),
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + 3600,
            ["sub"] = did,
            ["vc"] = new JsonObject
            {
                ["@context"] = new JsonArray("https://www.w3.org/2018/credentials/v1"),
                ["type"] = new JsonArray([.. Types.Select(t => JsonValue.Create(t))]),
                ["credentialSubject"] = credentialSubject,
            },
        };
        var signing = (await keys.GetSigningKeysAsync(project.Project, ct))[KeySets.IdToken][0];
        var credential = Tokens.CreateToken(payload.ToJsonString(), new SigningCredentials(keys.ToSigningKey(signing), signing.Alg));
        return Results.Json(new CredentialResponseJson(Format, credential));
    }

    /// <summary>OpenIddict's own validation of an access token of this project (signature or entry, status, expiry), as introspection runs it.</summary>
    static async Task<System.Security.Claims.ClaimsPrincipal?> ValidateAsync(string token, IOpenIddictServerFactory factory, IOpenIddictServerDispatcher dispatcher)
    {
        var transaction = await factory.CreateTransactionAsync();
        transaction.Request = new OpenIddictRequest();
        var context = new ValidateTokenContext(transaction) { Token = token, ValidTokenTypes = { TokenTypeIdentifiers.AccessToken } };
        await dispatcher.DispatchAsync(context);
        return context.IsRejected ? null : context.Principal;
    }

    /// <summary>The public key in the proof's <c>jwk</c> header and its JSON, for the <c>did:jwk</c>: RSA or EC, no private or shared key.</summary>
    static (JsonWebKey? Key, string? Json, OAuth2Error? Error) ProofKey(string? jwt)
    {
        JsonWebToken token;
        try
        {
            token = new JsonWebToken(jwt ?? "");
        }
        catch (ArgumentException)
        {
            return (null, null, CredentialErrors.MalformedProof);
        }
        JsonObject? json;
        try
        {
            json = JsonNode.Parse(Base64Url.DecodeFromChars(token.EncodedHeader))?["jwk"] as JsonObject;
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return (null, null, CredentialErrors.MalformedProof);
        }
        if (json is null) return (null, null, CredentialErrors.MalformedProofKey);
        try
        {
            var key = new JsonWebKey(json.ToJsonString());
            var complete = key.Kty switch
            {
                "RSA" => !string.IsNullOrEmpty(key.N) && !string.IsNullOrEmpty(key.E),
                "EC" => !string.IsNullOrEmpty(key.Crv) && !string.IsNullOrEmpty(key.X) && !string.IsNullOrEmpty(key.Y),
                _ => false,
            };
            if (!complete || key.HasPrivateKey || json.ContainsKey("d")) return (null, null, CredentialErrors.MalformedProofKey);
            return (key, json.ToJsonString(), null);
        }
        catch (ArgumentException)
        {
            return (null, null, CredentialErrors.MalformedProofKey);
        }
    }

    /// <summary>The consent's <c>session.id_token</c> claims, as <c>/userinfo</c> answers them (Hydra's <c>session.Claims.Extra</c>).</summary>
    static async Task<JsonObject> IdTokenClaimsAsync(System.Security.Claims.ClaimsPrincipal principal, string? subject, FlowStore flows, CancellationToken ct)
    {
        var claims = new JsonObject();
        if (!Guid.TryParse(principal.GetClaim(FlowClaims.Flow), out var flowId)) return claims;
        if (await flows.FindAsync(flowId, ct) is not { } flow || flow.Subject != subject) return claims;
        foreach (var (name, value) in flow.IdTokenClaims ?? [])
        {
            if (value is not null && name is not (Claims.Subject or Claims.Issuer or Claims.Audience or "id"))
                claims[name] = value.DeepClone();
        }
        return claims;
    }

    static IResult Unauthorized(HttpContext http, OAuth2Error error)
    {
        http.Response.Headers.WWWAuthenticate = $"Bearer error=\"{error.Error}\"";
        return error.ToResult();
    }
}
