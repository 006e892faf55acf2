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
        return clients;
    }

    static IResult NotFound(string id) => ClientErrors.NotFound(id).ToResult();

    static async Task<IResult> Create(ClientJson body, ClientStore store, ClientSecrets secrets, TimeProvider clock, CancellationToken ct)
    {
        var client = new StoredClient { Id = string.IsNullOrEmpty(body.ClientId) ? Guid.NewGuid().ToString() : body.ClientId };
        body.ApplyTo(client);
        if (ClientValidator.Validate(client, body.ClientSecret) is { } broken) return broken.ToResult();
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
        if ((long)(page + 1) * size < total)
            http.Response.Headers.Link = $"</admin/clients?page_size={size}&page_token={page + 1}>; rel=\"next\"";
        return Results.Json(items.Select(c => ClientJson.From(c)));
    }

    static async Task<IResult> Get(string id, ClientStore store, CancellationToken ct) =>
        await store.FindAsync(id, ct) is { } client ? Results.Json(ClientJson.From(client)) : NotFound(id);

    static async Task<IResult> Replace(string id, ClientJson body, ClientStore store, ClientSecrets secrets, TimeProvider clock, CancellationToken ct)
    {
        if (await store.FindAsync(id, ct) is not { } client) return NotFound(id);
        if (body.ClientId is { Length: > 0 } && body.ClientId != id) return ClientErrors.ClientIdImmutable.ToResult();
        return await SaveAsync(client, body, store, secrets, clock, ct);
    }

    static async Task<IResult> Patch(string id, JsonNode? patch, ClientStore store, ClientSecrets secrets, TimeProvider clock, CancellationToken ct)
    {
        if (await store.FindAsync(id, ct) is not { } client) return NotFound(id);
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
        body.ApplyTo(client);
        if (ClientValidator.Validate(client, body.ClientSecret) is { } broken) return broken.ToResult();
        var secret = body.ClientSecret is { Length: > 0 } ? SetSecret(client, body.ClientSecret, secrets) : null;
        if (client.IsPublic || client.TokenEndpointAuthMethod == "private_key_jwt") client.ClientSecretHash = null;
        client.UpdatedAt = clock.GetUtcNow();
        await store.UpdateAsync(client, ct);
        return Results.Json(ClientJson.From(client, secret));
    }

    /// <summary>Deletes the client and, with it, every token it was issued, as Hydra does.</summary>
    static async Task<IResult> Delete(string id, ClientStore store, CancellationToken ct) =>
        await store.DeleteAsync(id, ct) ? Results.NoContent() : NotFound(id);

    /// <summary>Public clients have no secret; otherwise the caller's secret, or a generated one. Returns the plain secret once.</summary>
    static string? SetSecret(StoredClient client, string? requested, ClientSecrets secrets)
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
