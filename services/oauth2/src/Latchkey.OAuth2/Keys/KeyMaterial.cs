using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Latchkey.ServiceDefaults;
using Microsoft.IdentityModel.Tokens;

namespace Latchkey.OAuth2.Keys;

/// <summary>
/// The cryptography of signing keys: generating them, checking imported ones, and turning a stored JWK into
/// the <see cref="SecurityKey"/> OpenIddict signs with. RSA (RS256/384/512, 2048 bits and up) and ECDSA
/// (ES256/384/512 on P-256/384/521); signing keys only.
/// </summary>
public static class KeyMaterial
{
    public static IReadOnlyList<string> Algorithms { get; } = ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512"];

    const int MinimumRsaBits = 2048;

    // Checking an imported key signs with it; a huge modulus would make that take minutes of CPU.
    const int MaximumRsaBits = 8192;

    // Keys stored before this type existed were written with IdentityModel's member names (N, DP, QI): read both.
    static readonly JsonSerializerOptions Stored = new(LatchkeyDefaults.Json) { PropertyNameCaseInsensitive = true };

    public static JwkJson Parse(string json) => JsonSerializer.Deserialize<JwkJson>(json, Stored) ?? throw new JsonException("A stored key is null.");

    public static string Serialize(JwkJson jwk) => JsonSerializer.Serialize(jwk, LatchkeyDefaults.Json);

    public static JwkJson Generate(string alg, string kid)
    {
        if (IsRsa(alg))
        {
            using var rsa = RSA.Create(MinimumRsaBits);
            var p = rsa.ExportParameters(includePrivateParameters: true);
            return new JwkJson
            {
                Kty = "RSA",
                Kid = kid,
                Alg = alg,
                Use = "sig",
                N = B64(p.Modulus),
                E = B64(p.Exponent),
                D = B64(p.D),
                P = B64(p.P),
                Q = B64(p.Q),
                Dp = B64(p.DP),
                Dq = B64(p.DQ),
                Qi = B64(p.InverseQ),
            };
        }
        var (curve, crv) = Curve(alg);
        using var ec = ECDsa.Create(curve);
        var e = ec.ExportParameters(includePrivateParameters: true);
        return new JwkJson { Kty = "EC", Kid = kid, Alg = alg, Use = "sig", Crv = crv, X = B64(e.Q.X), Y = B64(e.Q.Y), D = B64(e.D) };
    }

    /// <summary>Why an imported key cannot sign for a project, or null when it can.</summary>
    public static string? Problem(JwkJson jwk)
    {
        if (string.IsNullOrEmpty(jwk.Kid)) return "Every key needs a 'kid'.";
        if (!IsValidKid(jwk.Kid)) return $"The kid '{jwk.Kid}' is not usable: at most 200 characters, no '/' and no control characters.";
        if (jwk.Alg is null || !Algorithms.Contains(jwk.Alg)) return $"Key '{jwk.Kid}': 'alg' must be one of {string.Join(", ", Algorithms)}.";
        if (jwk.Use is not (null or "sig")) return $"Key '{jwk.Kid}': only signing keys ('use': 'sig') are supported.";
        var kty = IsRsa(jwk.Alg) ? "RSA" : "EC";
        if (jwk.Kty != kty) return $"Key '{jwk.Kid}': alg {jwk.Alg} needs 'kty': '{kty}'.";
        if (kty == "EC" && jwk.Crv != Curve(jwk.Alg).Crv) return $"Key '{jwk.Kid}': alg {jwk.Alg} needs 'crv': '{Curve(jwk.Alg).Crv}'.";
        if (jwk.D is null || (kty == "RSA" && (jwk.P is null || jwk.Q is null || jwk.Dp is null || jwk.Dq is null || jwk.Qi is null)))
            return $"Key '{jwk.Kid}' has no private part; a signing key set needs private keys.";

        try
        {
            if (kty == "RSA" && Bytes(jwk.N).SkipWhile(b => b == 0).Count() * 8 is < MinimumRsaBits or > MaximumRsaBits)
                return $"Key '{jwk.Kid}': RSA keys must have {MinimumRsaBits} to {MaximumRsaBits} bits.";
            // The private and the public members must belong together: sign with one, verify with the other.
            return SignsAndVerifies(jwk) ? null : $"Key '{jwk.Kid}': its private and public members do not belong to the same key.";
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or ArgumentException or NotSupportedException or InvalidOperationException)
        {
            return $"Key '{jwk.Kid}' is not a valid {kty} key: {ex.Message}";
        }
    }

    /// <summary>The key as IdentityModel's <see cref="SecurityKey"/>, with its private part when the JWK has one.</summary>
    public static SecurityKey ToSecurityKey(JwkJson jwk) => jwk.Kty switch
    {
        "RSA" => new RsaSecurityKey(RSA.Create(RsaParameters(jwk))) { KeyId = jwk.Kid },
        "EC" => new ECDsaSecurityKey(ECDsa.Create(EcParameters(jwk))) { KeyId = jwk.Kid },
        _ => throw new NotSupportedException($"The key type '{jwk.Kty}' is not supported."),
    };

    static bool SignsAndVerifies(JwkJson jwk)
    {
        var data = Encoding.UTF8.GetBytes("latchkey key check");
        var hash = jwk.Alg![2..] switch { "384" => HashAlgorithmName.SHA384, "512" => HashAlgorithmName.SHA512, _ => HashAlgorithmName.SHA256 };
        if (jwk.Kty == "RSA")
        {
            using var signer = RSA.Create(RsaParameters(jwk));
            using var verifier = RSA.Create(RsaParameters(jwk.PublicPart()));
            return verifier.VerifyData(data, signer.SignData(data, hash, RSASignaturePadding.Pkcs1), hash, RSASignaturePadding.Pkcs1);
        }
        using var ecSigner = ECDsa.Create(EcParameters(jwk));
        using var ecVerifier = ECDsa.Create(EcParameters(jwk.PublicPart()));
        return ecVerifier.VerifyData(data, ecSigner.SignData(data, hash), hash);
    }

    /// <summary>
    /// JWKs written by other tools may drop leading zero octets; .NET wants <c>d</c> as long as the modulus and the
    /// CRT members half as long, so they are padded back.
    /// </summary>
    static RSAParameters RsaParameters(JwkJson jwk)
    {
        var modulus = Bytes(jwk.N).SkipWhile(b => b == 0).ToArray();
        var parameters = new RSAParameters { Modulus = modulus, Exponent = Bytes(jwk.E) };
        if (jwk.D is null) return parameters;
        var half = (modulus.Length + 1) / 2;
        parameters.D = Pad(Bytes(jwk.D), modulus.Length);
        parameters.P = Pad(Bytes(jwk.P), half);
        parameters.Q = Pad(Bytes(jwk.Q), half);
        parameters.DP = Pad(Bytes(jwk.Dp), half);
        parameters.DQ = Pad(Bytes(jwk.Dq), half);
        parameters.InverseQ = Pad(Bytes(jwk.Qi), half);
        return parameters;
    }

    static byte[] Pad(byte[] value, int length)
    {
        if (value.Length >= length) return value;
        var padded = new byte[length];
        value.CopyTo(padded, length - value.Length);
        return padded;
    }

    static ECParameters EcParameters(JwkJson jwk) => new()
    {
        Curve = jwk.Crv switch
        {
            "P-256" => ECCurve.NamedCurves.nistP256,
            "P-384" => ECCurve.NamedCurves.nistP384,
            "P-521" => ECCurve.NamedCurves.nistP521,
            _ => throw new NotSupportedException($"The curve '{jwk.Crv}' is not supported."),
        },
        Q = new ECPoint { X = Bytes(jwk.X), Y = Bytes(jwk.Y) },
        D = jwk.D is null ? null : Bytes(jwk.D),
    };

    public static bool IsValidKid(string kid) => kid.Length is > 0 and <= 200 && !kid.Contains('/') && !kid.Any(char.IsControl);

    static bool IsRsa(string alg) => alg.StartsWith("RS", StringComparison.Ordinal);

    static (ECCurve Curve, string Crv) Curve(string alg) => alg switch
    {
        "ES256" => (ECCurve.NamedCurves.nistP256, "P-256"),
        "ES384" => (ECCurve.NamedCurves.nistP384, "P-384"),
        "ES512" => (ECCurve.NamedCurves.nistP521, "P-521"),
        _ => throw new ArgumentException($"'{alg}' is not an ECDSA algorithm.", nameof(alg)),
    };

    static string B64(byte[]? bytes) => Base64Url.EncodeToString(bytes ?? throw new CryptographicException("A key member is missing."));

    static byte[] Bytes(string? value) => Base64Url.DecodeFromChars(value ?? throw new FormatException("A key member is missing."));
}
