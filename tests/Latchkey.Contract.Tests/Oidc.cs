using System.Security.Cryptography;
using System.Text;
using Duende.IdentityModel;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>A PKCE verifier and its S256 challenge.</summary>
public sealed record Pkce(string Verifier, string Challenge)
{
    public static Pkce New()
    {
        var verifier = CryptoRandom.CreateUniqueId(32);
        return new Pkce(verifier, Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }
}

public static class Oidc
{
    /// <summary>Validates an ID token against the project's published JWKS, issuer and audience, as a relying party does.</summary>
    public static async Task<JsonWebToken> ValidIdTokenAsync(HttpClient http, string issuer, string audience, string? idToken)
    {
        var jwks = new JsonWebKeySet(await http.GetStringAsync(issuer + "/.well-known/jwks.json"));
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = audience,
            IssuerSigningKeys = jwks.GetSigningKeys(),
        });
        Assert.True(validation.IsValid, validation.Exception?.Message);
        return (JsonWebToken)validation.SecurityToken;
    }
}
