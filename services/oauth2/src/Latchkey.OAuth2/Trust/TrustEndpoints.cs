using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Latchkey.OAuth2.Admin;
using Latchkey.ServiceDefaults;
using Microsoft.IdentityModel.Tokens;

namespace Latchkey.OAuth2.Trust;

/// <summary>Hydra's trust admin API for the jwt-bearer grant: <c>/admin/trust/grants/jwt-bearer/issuers</c>.</summary>
public static class TrustEndpoints
{
    const string Path = "/trust/grants/jwt-bearer/issuers";
    const int MaxLength = 2048;
    const int MaxScopes = 100;

    public static RouteGroupBuilder MapTrust(this RouteGroupBuilder admin)
    {
        var issuers = admin.MapGroup(Path);
        issuers.MapPost("/", Create);
        issuers.MapGet("/", List);
        issuers.MapGet("/{id}", Get);
        issuers.MapDelete("/{id}", Delete);
        return issuers;
    }

    static async Task<IResult> Create(HttpRequest request, TrustStore store, TimeProvider clock, CancellationToken ct)
    {
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body, cancellationToken: ct);
        }
        catch (JsonException)
        {
            return TrustErrors.BodyUnreadable.ToResult();
        }
        var (trust, error) = Read(body as JsonObject, clock.GetUtcNow());
        if (error is not null) return error.ToResult();
        if (!await store.CreateAsync(trust!, ct)) return TrustErrors.Duplicate.ToResult();
        return Results.Json(TrustJson.From(trust!), LatchkeyDefaults.Json, statusCode: 201);
    }

    /// <summary>Hydra's <c>validateGrant</c>, plus what a hosted service must check: a usable public key, a future expiry, bounded sizes.</summary>
    static (TrustedIssuer? Trust, OAuth2Error? Error) Read(JsonObject? body, DateTimeOffset now)
    {
        if (body is null) return (null, TrustErrors.BodyUnreadable);
        if (!TryString(body, "issuer", out var issuer) || !TryString(body, "subject", out var subject)) return (null, TrustErrors.BodyUnreadable);
        var allowAny = false;
        if (body["allow_any_subject"] is { } any && (any.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null)))
            return (null, TrustErrors.BodyUnreadable);
        if (body["allow_any_subject"] is { } anyValue) allowAny = anyValue.GetValue<bool>();

        if (string.IsNullOrEmpty(issuer)) return (null, TrustErrors.IssuerMissing);
        if (string.IsNullOrEmpty(subject) && !allowAny) return (null, TrustErrors.SubjectMissing);
        if (!string.IsNullOrEmpty(subject) && allowAny) return (null, TrustErrors.SubjectAndAnySubject);
        if (issuer.Length > MaxLength) return (null, TrustErrors.FieldTooLong("issuer", MaxLength));
        if (subject!.Length > MaxLength) return (null, TrustErrors.FieldTooLong("subject", MaxLength));

        if (!TryString(body, "expires_at", out var expiresText)) return (null, TrustErrors.BodyUnreadable);
        if (string.IsNullOrEmpty(expiresText)) return (null, TrustErrors.ExpiresAtMissing);
        if (!DateTimeOffset.TryParse(expiresText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expiresAt))
            return (null, TrustErrors.BodyUnreadable);
        expiresAt = RoundToSecond(expiresAt.ToUniversalTime());
        if (expiresAt <= now) return (null, TrustErrors.ExpiresAtInPast);

        List<string> scope = [];
        switch (body["scope"])
        {
            case null:
                break;
            case JsonArray array when array.All(s => s?.GetValueKind() == JsonValueKind.String):
                scope = [.. array.Select(s => s!.GetValue<string>()).Distinct()];
                break;
            default:
                return (null, TrustErrors.BodyUnreadable);
        }
        if (scope.Count > MaxScopes || scope.Any(s => s.Length > 256)) return (null, TrustErrors.FieldTooLong("scope", MaxScopes));
        if (scope.Any(s => s.Length == 0 || s.Any(c => char.IsControl(c) || c == ' '))) return (null, TrustErrors.BodyUnreadable);

        if (body["jwk"] is not JsonObject jwkJson) return (null, TrustErrors.KeyIdMissing);
        if (jwkJson.ToJsonString().Length > 16 * 1024) return (null, TrustErrors.FieldTooLong("jwk", 16 * 1024));
        var (jwk, jwkError) = PublicKey(jwkJson);
        if (jwkError is not null) return (null, jwkError);

        return (new TrustedIssuer
        {
            Id = Guid.NewGuid(),
            Issuer = issuer,
            Subject = subject,
            AllowAnySubject = allowAny,
            Scope = scope,
            KeyId = jwk!.Kid,
            Jwk = jwkJson.ToJsonString(),
            CreatedAt = RoundToSecond(now),
            ExpiresAt = expiresAt,
        }, null);
    }

    /// <summary>A key that verifies signatures and holds no secret: RSA or EC, never its private part, never a shared (oct) key.</summary>
    static (JsonWebKey? Key, OAuth2Error? Error) PublicKey(JsonObject json)
    {
        JsonWebKey key;
        try
        {
            key = new JsonWebKey(json.ToJsonString());
        }
        catch (ArgumentException ex)
        {
            return (null, TrustErrors.JwkUnusable(ex.Message));
        }
        if (string.IsNullOrEmpty(key.Kid)) return (null, TrustErrors.KeyIdMissing);
        if (key.Kid.Length > 256) return (null, TrustErrors.FieldTooLong("jwk.kid", 256));
        if (key.Kty is not ("RSA" or "EC")) return (null, TrustErrors.JwkUnusable($"kty '{key.Kty}' is not RSA or EC."));
        if (key.HasPrivateKey || json.ContainsKey("d")) return (null, TrustErrors.JwkUnusable("it contains a private key; send only the public part."));
        if (key.Kty == "RSA" && (string.IsNullOrEmpty(key.N) || string.IsNullOrEmpty(key.E))) return (null, TrustErrors.JwkUnusable("an RSA key needs n and e."));
        if (key.Kty == "EC" && (string.IsNullOrEmpty(key.Crv) || string.IsNullOrEmpty(key.X) || string.IsNullOrEmpty(key.Y)))
            return (null, TrustErrors.JwkUnusable("an EC key needs crv, x and y."));
        if (!string.IsNullOrEmpty(key.Use) && key.Use != "sig") return (null, TrustErrors.JwkUnusable($"use '{key.Use}' is not sig."));
        try
        {
            if (key.KeySize < (key.Kty == "RSA" ? 2048 : 256)) return (null, TrustErrors.JwkUnusable("the key is too small (RSA needs 2048 bits)."));
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return (null, TrustErrors.JwkUnusable(ex.Message));
        }
        return (key, null);
    }

    static bool TryString(JsonObject body, string name, out string value)
    {
        value = "";
        switch (body[name])
        {
            case null:
                return true;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                value = v.GetValue<string>();
                return true;
            default:
                return false;
        }
    }

    static DateTimeOffset RoundToSecond(DateTimeOffset t) => new(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    static async Task<IResult> List(HttpContext http, TrustStore store, int? page_size, string? page_token, string? issuer, CancellationToken ct)
    {
        var (pagination, error) = Pagination.From(page_size, page_token, defaultSize: 250, maxSize: 1000);
        if (error is not null) return error.ToResult();
        var (size, page) = pagination;
        var (items, total) = await store.ListAsync(issuer, size, page, ct);
        http.Response.Headers["X-Total-Count"] = total.ToString(CultureInfo.InvariantCulture);
        if ((long)(page + 1) * size < total)
        {
            var filter = string.IsNullOrEmpty(issuer) ? "" : "&issuer=" + Uri.EscapeDataString(issuer);
            http.Response.Headers.Link = $"</admin{Path}?page_size={size}&page_token={page + 1}{filter}>; rel=\"next\"";
        }
        return Results.Json(items.Select(TrustJson.From), LatchkeyDefaults.Json);
    }

    static async Task<IResult> Get(string id, TrustStore store, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var guid)) return TrustErrors.MalformedId(id).ToResult();
        return await store.FindAsync(guid, ct) is { } trust ? Results.Json(TrustJson.From(trust), LatchkeyDefaults.Json) : TrustErrors.NotFound(id).ToResult();
    }

    static async Task<IResult> Delete(string id, TrustStore store, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var guid)) return TrustErrors.MalformedId(id).ToResult();
        return await store.DeleteAsync(guid, ct) ? Results.NoContent() : TrustErrors.NotFound(id).ToResult();
    }
}
