using System.Text.Json;
using Latchkey.ServiceDefaults;
using Latchkey.Tenancy;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Latchkey.OAuth2.Clients;

/// <summary>The three kinds of token a grant may issue, each with its own lifespan.</summary>
public enum TokenKind { Access, Id, Refresh }

/// <summary>
/// Hydra's per-client token lifespans (<c>PUT /admin/clients/{id}/lifespans</c>): one Go duration per grant and
/// token kind, flat in the client's JSON (<c>authorization_code_grant_access_token_lifespan</c>, …). A lifespan the
/// client does not set falls back to the project's <c>ttl/*</c>. Stored on <see cref="StoredClient.Lifespans"/> by
/// field name, canonical (<c>1h0m0s</c>).
/// </summary>
public static class ClientLifespans
{
    /// <summary>Longest lifespan a client may set, as for the project's own <c>ttl/*</c>.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromDays(3650);

    /// <summary>Hydra's grant prefix for each grant type, and which token kinds that grant has a lifespan for.</summary>
    static readonly (string GrantType, string Prefix, TokenKind[] Kinds)[] Grants =
    [
        (GrantTypes.AuthorizationCode, "authorization_code_grant", [TokenKind.Access, TokenKind.Id, TokenKind.Refresh]),
        (GrantTypes.ClientCredentials, "client_credentials_grant", [TokenKind.Access]),
        (GrantTypes.Implicit, "implicit_grant", [TokenKind.Access, TokenKind.Id]),
        ("urn:ietf:params:oauth:grant-type:jwt-bearer", "jwt_bearer_grant", [TokenKind.Access]),
        (GrantTypes.RefreshToken, "refresh_token_grant", [TokenKind.Access, TokenKind.Id, TokenKind.Refresh]),
        ("urn:ietf:params:oauth:grant-type:device_code", "device_authorization_grant", [TokenKind.Access, TokenKind.Id, TokenKind.Refresh]),
    ];

    /// <summary>The 13 field names of Hydra's <c>oAuth2ClientTokenLifespans</c>.</summary>
    public static IReadOnlyList<string> Names { get; } =
        [.. Grants.SelectMany(g => g.Kinds.Select(k => NameOf(g.Prefix, k)))];

    static readonly HashSet<string> NameSet = [.. Names];

    static string NameOf(string prefix, TokenKind kind) => $"{prefix}_{kind switch
    {
        TokenKind.Access => "access",
        TokenKind.Id => "id",
        _ => "refresh",
    }}_token_lifespan";

    /// <summary>
    /// The lifespan this client set for this kind of token issued by this grant (an OAuth2 <c>grant_type</c> value),
    /// or null: the project's <c>ttl/*</c> applies. Every grant that issues tokens asks this.
    /// </summary>
    public static TimeSpan? For(StoredClient client, string? grantType, TokenKind kind)
    {
        if (client.Lifespans is not { Count: > 0 } set) return null;
        foreach (var (grant, prefix, _) in Grants)
        {
            if (grant == grantType)
                return set.TryGetValue(NameOf(prefix, kind), out var value) && GoDuration.TryParse(value, out var lifespan) ? lifespan : null;
        }
        return null;
    }

    /// <summary>
    /// Reads the lifespan fields of a client or lifespans body (other fields are not this method's business): each
    /// must be null or a positive Go duration of at most <see cref="Max"/>. Returns the canonical set, or the first problem.
    /// </summary>
    public static (Dictionary<string, string>? Lifespans, OAuth2Error? Error) Read(IDictionary<string, JsonElement>? fields)
    {
        var lifespans = new Dictionary<string, string>(StringComparer.Ordinal);
        if (fields is null) return (lifespans, null);
        foreach (var (name, value) in fields)
        {
            if (!NameSet.Contains(name) || value.ValueKind == JsonValueKind.Null) continue;
            if (value.ValueKind != JsonValueKind.String || !GoDuration.TryParse(value.GetString(), out var lifespan) || lifespan <= TimeSpan.Zero)
                return (null, ClientErrors.LifespanNotADuration(name));
            if (lifespan > Max) return (null, ClientErrors.LifespanTooLong(name));
            lifespans[name] = GoDuration.Format(lifespan);
        }
        return (lifespans, null);
    }

    /// <summary>The client's lifespans as Hydra writes them: every one of the 13 fields, null where unset.</summary>
    public static Dictionary<string, JsonElement> Write(StoredClient client)
    {
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var name in Names)
        {
            fields[name] = client.Lifespans is { } set && set.TryGetValue(name, out var value)
                ? JsonSerializer.SerializeToElement(value)
                : JsonSerializer.SerializeToElement<string?>(null);
        }
        return fields;
    }
}
