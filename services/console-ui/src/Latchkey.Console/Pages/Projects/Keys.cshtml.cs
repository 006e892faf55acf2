using System.Text.Json;
using System.Text.Json.Nodes;
using Latchkey.Console.Platform;
using Microsoft.AspNetCore.Mvc;

namespace Latchkey.Console.Pages.Projects;

/// <summary>The project's public JWKS, and rotation of the ID token signing key through the Hydra admin API.</summary>
public sealed class KeysModel(PlatformApi api) : ProjectPageModel(api)
{
    public const string IdTokenSet = "hydra.openid.id-token";
    const string AccessTokenSet = "hydra.jwt.access-token";
    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public sealed record PublicKey(string Kid, string? Set, string Alg, string Use, string Kty, string Fingerprint, bool Current);

    protected override string Section => "keys";

    public IReadOnlyList<PublicKey> Keys { get; private set; } = [];

    public string RawJwks { get; private set; } = "";

    public bool Rotated => QueryFlag.IsSet(Request, "rotated");

    public string? RotateError { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadProjectAsync(ct);
        await LoadKeysAsync(ct);
    }

    public async Task<IActionResult> OnPostRotateAsync(CancellationToken ct)
    {
        await LoadProjectAsync(ct);
        var alg = Keys.FirstOrDefault(k => k.Set == IdTokenSet)?.Alg ?? "RS256";
        if (await Api.RotateKeyAsync(User, Project.Slug, IdTokenSet, alg, ct) is { } error)
        {
            RotateError = error.Status is 404 or 405 ? "this deployment's admin API has no key rotation yet." : error.Description;
            await LoadKeysAsync(ct);
            return Page();
        }
        return Redirect($"/projects/{Project.Id}/keys?rotated=true");
    }

    async Task LoadKeysAsync(CancellationToken ct)
    {
        var jwks = await Api.PublicJwksAsync(Project.Slug, ct);
        RawJwks = jwks?.ToJsonString(Indented) ?? "";
        // The admin API tells which set a key belongs to; the first key of a set is the one that signs.
        var sets = new Dictionary<string, (string Set, bool Current)>(StringComparer.Ordinal);
        foreach (var set in new[] { IdTokenSet, AccessTokenSet })
        {
            var keys = (await Api.AdminKeysAsync(User, Project.Slug, set, ct))?["keys"] as JsonArray ?? [];
            var first = true;
            foreach (var kid in keys.Select(k => k?["kid"]?.GetValue<string>()).OfType<string>())
            {
                sets.TryAdd(kid, (set, first));
                first = false;
            }
        }
        Keys = (jwks?["keys"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(k =>
            {
                var kid = Text(k, "kid");
                var known = sets.GetValueOrDefault(kid);
                var material = Text(k, "n") is { Length: > 0 } n ? n : Text(k, "x");
                return new PublicKey(kid, known.Set, Text(k, "alg"), Text(k, "use"), Text(k, "kty"),
                    material.Length > 24 ? material[..24] + "…" : material, known.Current);
            })
            .ToList();
    }

    static string Text(JsonObject key, string name) => key[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
