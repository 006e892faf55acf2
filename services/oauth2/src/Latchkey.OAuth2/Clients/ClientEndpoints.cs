using System.Text.Json;
using System.Text.Json.Nodes;
using Latchkey.OAuth2.Admin;
using Latchkey.ServiceDefaults;
using Latchkey.ServiceDefaults.Patching;

namespace Latchkey.OAuth2.Clients;

/// <summary>Hydra v2's client admin API: <c>/admin/clients</c>.</summary>
public static class ClientEndpoints
{
    public static RouteGroupBuilder MapClients(this RouteGroupBuilder admin)
    {
        var clients = admin.MapGroup("/clients");
        clients.MapPost("/", Create);
        clients.MapGet("/", List);
        clients.MapGet("/{id}", Get);
        clients.MapPut("/{id}", Replace);
        clients.MapPatch("/{id}", Patch);
        clients.MapDelete("/{id}", Delete);
        clients.MapPut("/{id}/lifespans", SetLifespans);
        clients.MapPost("/{id}/secrets/rotate", RotateSecret);
        clients.MapDelete("/{id}/secrets/rotate", DeleteRotatedSecrets);
        return clients;
    }

    static IResult NotFound(string id) => ClientErrors.NotFound(id).ToResult();

    static async Task<IResult> Create(ClientJson body, ClientStore store, ClientSecrets secrets, TimeProvider clock, CancellationToken ct)
    {
        var client = new StoredClient { Id = string.IsNullOrEmpty(body.ClientId) ? Guid.NewGuid().ToString() : body.ClientId };
        if ((body.ApplyTo(client) ?? ClientValidator.Validate(client, body.ClientSecret)) is { } broken) return broken.ToResult();
        if (await store.FindAsync(client.Id, ct) is not null) return ClientErrors.AlreadyExists(client.Id).ToResult();

        var secret = SetSecret(client, body.ClientSecret, secrets);
        client.CreatedAt = client.UpdatedAt = clock.GetUtcNow();
        await store.CreateAsync(client, ct);
        return Results.Json(ClientJson.From(client, secret), statusCode: 201);
    }

    static async Task<IResult> List(HttpContext http, ClientStore store, int? page_size, string? page_token, string? client_name, string? owner, CancellationToken ct)
    {
        var (pagination, error) = Pagination.From(page_size, page_token, defaultSize: 250, maxSize: 1000);
        if (error is not null) return error.ToResult();
        var (size, page) = pagination;
        var (items, total) = await store.ListAsync(size, page, client_name, owner, ct);
        http.Response.Headers["X-Total-Count"] = total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Response.Headers.Link = Pagination.LinkHeader(http.Request, size, page, hasNext: (long)(page + 1) * size < total);
        return Results.Json(items.Select(c => ClientJson.From(c)));
    }

    /// <summary>Hydra's <c>setOAuth2ClientLifespans</c>: replaces the 13 per-grant lifespans, nothing else.</summary>
    static async Task<IResult> SetLifespans(string id, Dictionary<string, JsonElement>? body, ClientStore store, TimeProvider clock, CancellationToken ct)
    {
        if (await store.FindAsync(id, ct) is not { } client) return NotFound(id);
        var (lifespans, error) = ClientLifespans.Read(body);
        if (error is not null) return error.ToResult();
        client.Lifespans = lifespans!;
        client.UpdatedAt = clock.GetUtcNow();
        await store.UpdateAsync(client, ct);
        return Results.Json(ClientJson.From(client));
    }

    /// <summary>
    /// Hydra's <c>rotateOAuth2ClientSecret</c>: a new generated secret, returned once; the one it replaces joins the
    /// rotated secrets, newest first, of which the five most recent keep authenticating the client.
    /// </summary>
    static async Task<IResult> RotateSecret(string id, ClientStore store, ClientSecrets secrets, TimeProvider clock, CancellationToken ct)
    {
        if (await store.FindAsync(id, ct) is not { } client) return NotFound(id);
        if (client.TokenEndpointAuthMethod is not ("client_secret_basic" or "client_secret_post"))
            return ClientErrors.RotationUnsupported(client.TokenEndpointAuthMethod).ToResult();

        var now = clock.GetUtcNow();
        if (client.ClientSecretHash is { } current)
            client.RotatedSecrets = [new RotatedSecret(current, now), .. client.RotatedSecrets.Take(RotatedSecret.Kept - 1)];
        var secret = ClientSecrets.Generate();
        client.ClientSecretHash = secrets.Hash(secret, generated: true);
        client.UpdatedAt = now;
        await store.UpdateAsync(client, ct);
        return Results.Json(ClientJson.From(client, secret));
    }

    /// <summary>Hydra's <c>deleteRotatedOAuth2ClientSecrets</c>: only the current secret authenticates the client from now on.</summary>
    static async Task<IResult> DeleteRotatedSecrets(string id, ClientStore store, TimeProvider clock, CancellationToken ct)
    {
        if (await store.FindAsync(id, ct) is not { } client) return NotFound(id);
        if (client.TokenEndpointAuthMethod is not ("client_secret_basic" or "client_secret_post"))
            return ClientErrors.RotationUnsupported(client.TokenEndpointAuthMethod).ToResult();
        client.RotatedSecrets = [];
        client.UpdatedAt = clock.GetUtcNow();
        await store.UpdateAsync(client, ct);
        return Results.Json(ClientJson.From(client));
    }

    static async Task<IResult> Get(string id, ClientStore store, CancellationToken ct) =>
        await store.FindAsync(id, ct) is { } client ? Results.Json(ClientJson.From(client)) : NotFound(id);

    static async Task<IResult> Replace(string id, ClientJson body, ClientStore store, ClientSecrets secrets, TimeProvider clock, CancellationToken ct)
    {
        if (await store.FindForUpdateAsync(id, ct) is not { } client) return NotFound(id);
        if (body.ClientId is { Length: > 0 } && body.ClientId != id) return ClientErrors.ClientIdImmutable.ToResult();
        return await SaveAsync(client, body, store, secrets, clock, ct);
    }

    static async Task<IResult> Patch(string id, JsonNode? patch, ClientStore store, ClientSecrets secrets, TimeProvider clock, CancellationToken ct)
    {
        if (await store.FindForUpdateAsync(id, ct) is not { } client) return NotFound(id);
        var (operations, parseError) = JsonPatch.Parse(patch);
        if (operations is null) return ClientErrors.InvalidPatch(parseError!).ToResult();

        var document = JsonSerializer.SerializeToNode(ClientJson.From(client), LatchkeyDefaults.Json);
        var (patched, applyError) = JsonPatch.Apply(document, operations);
        if (applyError is not null) return ClientErrors.InvalidPatch(applyError).ToResult();

        ClientJson? body;
        try
        {
            body = patched.Deserialize<ClientJson>(LatchkeyDefaults.Json);
        }
        catch (JsonException ex)
        {
            return ClientErrors.PatchedClientUnreadable(ex.Message).ToResult();
        }
        if (body is null || body.ClientId != id) return ClientErrors.ClientIdImmutable.ToResult();
        return await SaveAsync(client, body, store, secrets, clock, ct);
    }

    static async Task<IResult> SaveAsync(StoredClient client, ClientJson body, ClientStore store, ClientSecrets secrets, TimeProvider clock, CancellationToken ct)
    {
        if ((body.ApplyTo(client) ?? ClientValidator.Validate(client, body.ClientSecret)) is { } broken) return broken.ToResult();
        var secret = body.ClientSecret is { Length: > 0 } ? SetSecret(client, body.ClientSecret, secrets) : null;
        // As Hydra: a secret set by replacing or patching the client ends every rotated one.
        if (secret is not null) client.RotatedSecrets.Clear();
        if (client.IsPublic || client.TokenEndpointAuthMethod == "private_key_jwt") (client.ClientSecretHash, client.RotatedSecrets) = (null, []);
        client.UpdatedAt = clock.GetUtcNow();
        await store.UpdateAsync(client, ct);
        return Results.Json(ClientJson.From(client, secret));
    }

    /// <summary>Deletes the client and, with it, every token it was issued, as Hydra does.</summary>
    static async Task<IResult> Delete(string id, ClientStore store, CancellationToken ct) =>
        await store.DeleteAsync(id, ct) ? Results.NoContent() : NotFound(id);

    /// <summary>Public clients have no secret; otherwise the caller's secret, or a generated one. Returns the plain secret once.</summary>
    internal static string? SetSecret(StoredClient client, string? requested, ClientSecrets secrets)
    {
        // A private_key_jwt client proves itself with its keys, as in Hydra: it has no secret.
        if (client.IsPublic || client.TokenEndpointAuthMethod == "private_key_jwt")
        {
            client.ClientSecretHash = null;
            return null;
        }
        var generated = string.IsNullOrEmpty(requested);
        var secret = generated ? ClientSecrets.Generate() : requested!;
        client.ClientSecretHash = secrets.Hash(secret, generated);
        return secret;
    }
}
