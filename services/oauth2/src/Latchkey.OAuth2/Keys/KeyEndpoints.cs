using Latchkey.ServiceDefaults;
using Latchkey.Tenancy;

namespace Latchkey.OAuth2.Keys;

/// <summary>
/// Hydra v2's key admin API, <c>/admin/keys/{set}</c> and <c>/admin/keys/{set}/{kid}</c>, over the project's two
/// sets. Answers carry public members only. A new or replaced key is the newest of its set, so it signs the
/// next tokens; keys stay published until deleted. Deleting a set's last key is allowed: the next request
/// to the project creates a fresh RS256 key for it.
/// </summary>
public static class KeyEndpoints
{
    public static RouteGroupBuilder MapKeys(this RouteGroupBuilder admin)
    {
        var keys = admin.MapGroup("/keys");
        keys.MapGet("/{set}", GetSet);
        keys.MapGet("/{set}/{kid}", GetKey);
        keys.MapPost("/{set}", Create);
        keys.MapPut("/{set}", ReplaceSet);
        keys.MapPut("/{set}/{kid}", ReplaceKey);
        keys.MapDelete("/{set}", DeleteSet);
        keys.MapDelete("/{set}/{kid}", DeleteKey);
        return keys;
    }

    /// <summary>Every key of a set is published and tried; a set of hundreds helps no one.</summary>
    public const int MaxKeysPerSet = 20;

    static IResult UnknownSet(string set) => KeyErrors.UnknownSet(set).ToResult();

    static IResult UnknownKey(string set, string kid) => KeyErrors.UnknownKey(set, kid).ToResult();

    static IResult KidTaken(StoredKey existing) => KeyErrors.KidTaken(existing.Id, existing.Set).ToResult();

    static async Task<IResult> GetSet(string set, IProjectContext project, ProjectKeyRing ring, CancellationToken ct)
    {
        if (!KeySets.IsKnown(set)) return UnknownSet(set);
        var keys = await ring.ListAsync(project.Project, set, ct);
        return keys.Count == 0 ? UnknownSet(set) : Results.Json(KeySetJson.PublicOf(keys));
    }

    static async Task<IResult> GetKey(string set, string kid, IProjectContext project, ProjectKeyRing ring, CancellationToken ct)
    {
        if (!KeySets.IsKnown(set)) return UnknownSet(set);
        return await ring.FindAsync(project.Project, kid, ct) is { } key && key.Set == set
            ? Results.Json(KeySetJson.PublicOf([key]))
            : UnknownKey(set, kid);
    }

    static async Task<IResult> Create(string set, CreateKeyJson? body, IProjectContext project, ProjectKeyRing ring, CancellationToken ct)
    {
        if (!KeySets.IsKnown(set)) return UnknownSet(set);
        if (body?.Alg is not { } alg || !KeyMaterial.Algorithms.Contains(alg))
            return KeyErrors.UnsupportedAlg.ToResult();
        if (body.Use is not (null or "" or "sig"))
            return KeyErrors.UnsupportedUse.ToResult();
        var kid = string.IsNullOrEmpty(body.Kid) ? null : body.Kid;
        if (kid is not null && !KeyMaterial.IsValidKid(kid))
            return KeyErrors.MalformedKid.ToResult();
        if (kid is not null && await ring.FindAsync(project.Project, kid, ct) is { } existing) return KidTaken(existing);

        var key = ring.Generate(set, alg, kid);
        await ring.SaveAsync(project.Project, [key], replaceSet: null, ct);
        return Results.Json(KeySetJson.PublicOf([key]), statusCode: StatusCodes.Status201Created);
    }

    /// <summary>Replaces the whole set with imported private keys, as Hydra does; the first key listed signs.</summary>
    static async Task<IResult> ReplaceSet(string set, KeySetJson? body, IProjectContext project, ProjectKeyRing ring, TimeProvider clock, CancellationToken ct)
    {
        if (!KeySets.IsKnown(set)) return UnknownSet(set);
        if (body?.Keys is not { Count: > 0 } imported) return KeyErrors.EmptySet.ToResult();
        if (imported.Any(k => k is null)) return KeyErrors.NullKey.ToResult();
        if (imported.Count > MaxKeysPerSet) return KeyErrors.TooManyKeys.ToResult();
        if (imported.Select(KeyMaterial.Problem).FirstOrDefault(p => p is not null) is { } problem) return KeyErrors.UnusableKey(problem).ToResult();
        if (imported.GroupBy(k => k.Kid).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
            return KeyErrors.DuplicateKid(duplicate.Key).ToResult();
        foreach (var jwk in imported)
        {
            if (await ring.FindAsync(project.Project, jwk.Kid!, ct) is { } existing && existing.Set != set) return KidTaken(existing);
        }

        var now = clock.GetUtcNow();
        var keys = imported.Select((jwk, i) => ring.Protect(set, jwk with { Use = "sig" }, now.AddMilliseconds(-i))).ToList();
        await ring.SaveAsync(project.Project, keys, replaceSet: set, ct);
        return Results.Json(KeySetJson.PublicOf(keys));
    }

    /// <summary>Adds or replaces one imported private key, which becomes the newest of its set.</summary>
    static async Task<IResult> ReplaceKey(string set, string kid, JwkJson? body, IProjectContext project, ProjectKeyRing ring, TimeProvider clock, CancellationToken ct)
    {
        if (!KeySets.IsKnown(set)) return UnknownSet(set);
        if (body is null) return KeyErrors.NotAKey.ToResult();
        if (body.Kid is { Length: > 0 } bodyKid && bodyKid != kid)
            return KeyErrors.KidMismatch(bodyKid, kid).ToResult();
        var jwk = body with { Kid = kid, Use = body.Use ?? "sig" };
        if (KeyMaterial.Problem(jwk) is { } problem) return KeyErrors.UnusableKey(problem).ToResult();
        if (await ring.FindAsync(project.Project, kid, ct) is { } existing && existing.Set != set) return KidTaken(existing);

        var key = ring.Protect(set, jwk, clock.GetUtcNow());
        await ring.SaveAsync(project.Project, [key], replaceSet: null, ct);
        return Results.Json(key.ToPublicJwk());
    }

    static async Task<IResult> DeleteSet(string set, IProjectContext project, ProjectKeyRing ring, CancellationToken ct)
    {
        if (!KeySets.IsKnown(set)) return UnknownSet(set);
        return await ring.DeleteAsync(project.Project, set, kid: null, ct) ? Results.NoContent() : UnknownSet(set);
    }

    static async Task<IResult> DeleteKey(string set, string kid, IProjectContext project, ProjectKeyRing ring, CancellationToken ct)
    {
        if (!KeySets.IsKnown(set)) return UnknownSet(set);
        return await ring.DeleteAsync(project.Project, set, kid, ct) ? Results.NoContent() : UnknownKey(set, kid);
    }
}
