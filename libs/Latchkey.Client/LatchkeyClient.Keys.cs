namespace Latchkey.Client;

// Project admin API, keys (Hydra v2): /admin/keys/{set} and /admin/keys/{set}/{kid}. A project has two sets,
// hydra.openid.id-token and hydra.jwt.access-token; the newest key of each signs.
public sealed partial class LatchkeyClient
{
    public const string IdTokenKeySet = "hydra.openid.id-token";
    public const string AccessTokenKeySet = "hydra.jwt.access-token";

    /// <summary><c>POST /admin/keys/{set}</c> (201): generates a key, which signs from the next token on; answers its public part.</summary>
    public Task<JsonWebKeySet> CreateJsonWebKeyAsync(string project, string set, CreateJsonWebKey key, CancellationToken ct) =>
        ReadAsync<JsonWebKeySet>(WithJson(CreateAdminRequest(project, HttpMethod.Post, KeysPath(set)), key), ct);

    /// <summary><c>GET /admin/keys/{set}</c>: the public keys of a set, newest (the signing one) first.</summary>
    public Task<JsonWebKeySet> GetJsonWebKeySetAsync(string project, string set, CancellationToken ct) =>
        ReadAsync<JsonWebKeySet>(CreateAdminRequest(project, HttpMethod.Get, KeysPath(set)), ct);

    /// <summary><c>GET /admin/keys/{set}/{kid}</c>: a set holding just that public key.</summary>
    public Task<JsonWebKeySet> GetJsonWebKeyAsync(string project, string set, string kid, CancellationToken ct) =>
        ReadAsync<JsonWebKeySet>(CreateAdminRequest(project, HttpMethod.Get, KeysPath(set, kid)), ct);

    /// <summary><c>PUT /admin/keys/{set}</c>: replaces the whole set with imported private keys; the first one listed signs.</summary>
    public Task<JsonWebKeySet> ImportJsonWebKeySetAsync(string project, string set, JsonWebKeySet keys, CancellationToken ct) =>
        ReadAsync<JsonWebKeySet>(WithJson(CreateAdminRequest(project, HttpMethod.Put, KeysPath(set)), keys), ct);

    /// <summary><c>PUT /admin/keys/{set}/{kid}</c>: adds or replaces one imported private key, which then signs.</summary>
    public Task<JsonWebKey> ImportJsonWebKeyAsync(string project, string set, JsonWebKey key, CancellationToken ct) =>
        ReadAsync<JsonWebKey>(WithJson(CreateAdminRequest(project, HttpMethod.Put, KeysPath(set, key.Kid ?? "")), key), ct);

    /// <summary><c>DELETE /admin/keys/{set}</c> (204): the next request to the project creates a fresh key for the set.</summary>
    public Task DeleteJsonWebKeySetAsync(string project, string set, CancellationToken ct) =>
        SendExpectingSuccessAsync(CreateAdminRequest(project, HttpMethod.Delete, KeysPath(set)), ct);

    /// <summary><c>DELETE /admin/keys/{set}/{kid}</c> (204): tokens it signed stop verifying.</summary>
    public Task DeleteJsonWebKeyAsync(string project, string set, string kid, CancellationToken ct) =>
        SendExpectingSuccessAsync(CreateAdminRequest(project, HttpMethod.Delete, KeysPath(set, kid)), ct);

    static string KeysPath(string set, string? kid = null) =>
        kid is null ? $"/admin/keys/{Escape(set)}" : $"/admin/keys/{Escape(set)}/{Escape(kid)}";
}
