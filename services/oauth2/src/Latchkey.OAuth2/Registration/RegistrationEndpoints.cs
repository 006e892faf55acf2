using System.Text.Json;
using Latchkey.OAuth2.Clients;
using Latchkey.ServiceDefaults;
using Latchkey.Storage;
using Latchkey.Tenancy;

namespace Latchkey.OAuth2.Registration;

/// <summary>
/// OpenID Connect Dynamic Client Registration (RFC 7591) and its management protocol (RFC 7592), as Hydra serves
/// them (client/handler.go): off unless the project sets <c>oidc/dynamic_client_registration/enabled</c>; the server
/// chooses the client id and secret; the fields only an admin may set are refused; the client's rules are the admin
/// API's (<see cref="ClientValidator"/>). The answer to a registration carries a <c>registration_access_token</c>,
/// kept only as a hash (<see cref="SecretHasher"/>) and replaced on every update, which the client presents as a
/// bearer token to read, update or delete itself.
/// </summary>
public static class RegistrationEndpoints
{
    const string Prefix = "lk_rat_";

    public static void MapRegistration(this IEndpointRouteBuilder app)
    {
        var register = app.MapGroup("/oauth2/register");
        register.MapPost("/", Register);
        register.MapGet("/{id}", Get);
        register.MapPut("/{id}", Update);
        register.MapDelete("/{id}", Delete);
    }

    static bool Enabled(IProjectContext project) => project.Project.OAuth2.Oidc.DynamicClientRegistration.Enabled;

    static async Task<IResult> Register(ClientJson body, IProjectContext project, ClientStore store, ClientSecrets secrets, SecretHasher hasher, TimeProvider clock, CancellationToken ct)
    {
        if (!Enabled(project)) return RegistrationErrors.NotEnabled.ToResult();
        if (body.ClientSecret is { Length: > 0 }) return RegistrationErrors.SecretChosen.ToResult();

        var client = new StoredClient { Id = Guid.NewGuid().ToString() };
        if ((Refused(body) ?? body.ApplyTo(client) ?? ClientValidator.Validate(client, null)) is { } broken) return broken.ToResult();
        ApplyDefaultScope(client, body, project);

        var secret = ClientEndpoints.SetSecret(client, null, secrets);
        var token = NewAccessToken(client, hasher);
        client.CreatedAt = client.UpdatedAt = clock.GetUtcNow();
        await store.CreateAsync(client, ct);
        return Results.Json(Answer(client, project, secret, token), statusCode: 201);
    }

    static async Task<IResult> Get(string id, HttpRequest request, IProjectContext project, ClientStore store, SecretHasher hasher, CancellationToken ct)
    {
        if (!Enabled(project)) return RegistrationErrors.NotEnabled.ToResult();
        if (await AuthenticatedAsync(id, request, store, hasher, ct) is not { } client) return RegistrationErrors.BadCredentials.ToResult();
        return Results.Json(Answer(client, project, secret: null, token: null));
    }

    /// <summary>RFC 7592 §2.2: the body replaces the client's metadata; the secret stays, the registration access token is replaced.</summary>
    static async Task<IResult> Update(string id, ClientJson body, HttpRequest request, IProjectContext project, ClientStore store, SecretHasher hasher, TimeProvider clock, CancellationToken ct)
    {
        if (!Enabled(project)) return RegistrationErrors.NotEnabled.ToResult();
        if (await AuthenticatedAsync(id, request, store, hasher, ct) is not { } client) return RegistrationErrors.BadCredentials.ToResult();
        if (body.ClientSecret is { Length: > 0 }) return RegistrationErrors.SecretChangeForbidden.ToResult();
        if (body.ClientId is { Length: > 0 } && body.ClientId != id) return RegistrationErrors.ClientIdChanged.ToResult();

        var lifespans = client.Lifespans;
        if ((Refused(body) ?? body.ApplyTo(client) ?? ClientValidator.Validate(client, null)) is { } broken) return broken.ToResult();
        ApplyDefaultScope(client, body, project);
        // Set by the admin API only: an update through registration keeps them.
        client.Lifespans = lifespans;
        if (client.IsPublic) (client.ClientSecretHash, client.RotatedSecrets) = (null, []);

        var token = NewAccessToken(client, hasher);
        client.UpdatedAt = clock.GetUtcNow();
        await store.UpdateAsync(client, ct);
        return Results.Json(Answer(client, project, secret: null, token));
    }

    static async Task<IResult> Delete(string id, HttpRequest request, IProjectContext project, ClientStore store, SecretHasher hasher, CancellationToken ct)
    {
        if (!Enabled(project)) return RegistrationErrors.NotEnabled.ToResult();
        if (await AuthenticatedAsync(id, request, store, hasher, ct) is null) return RegistrationErrors.BadCredentials.ToResult();
        await store.DeleteAsync(id, ct);
        return Results.NoContent();
    }

    /// <summary>Hydra's <c>ValidateDynamicRegistration</c>: what only the project may decide about a client. Lifespans too: a client must not choose how long its own tokens live.</summary>
    static OAuth2Error? Refused(ClientJson body)
    {
        if (body.Metadata is not null) return RegistrationErrors.AdminOnly("metadata");
        if (!string.IsNullOrEmpty(body.AccessTokenStrategy)) return RegistrationErrors.AdminOnly("access_token_strategy");
        if (body.SkipConsent == true) return RegistrationErrors.AdminOnly("skip_consent");
        if (body.SkipLogoutConsent == true) return RegistrationErrors.AdminOnly("skip_logout_consent");
        if (body.Other?.FirstOrDefault(f => ClientLifespans.Names.Contains(f.Key) && f.Value.ValueKind != JsonValueKind.Null) is { Key: { } lifespan })
            return RegistrationErrors.AdminOnly(lifespan);
        return null;
    }

    /// <summary>Hydra's <c>oidc.dynamic_client_registration.default_scope</c>, for a registration that names no scope.</summary>
    static void ApplyDefaultScope(StoredClient client, ClientJson body, IProjectContext project)
    {
        var defaults = project.Project.OAuth2.Oidc.DynamicClientRegistration.DefaultScope;
        if (string.IsNullOrEmpty(body.Scope) && defaults.Count > 0) client.Scope = string.Join(' ', defaults);
    }

    static string NewAccessToken(StoredClient client, SecretHasher hasher)
    {
        var token = Secrets.Generate(Prefix);
        client.RegistrationAccessTokenHash = hasher.Hash(token);
        return token;
    }

    /// <summary>The client, if the request's bearer token is its current registration access token.</summary>
    static async Task<StoredClient?> AuthenticatedAsync(string id, HttpRequest request, ClientStore store, SecretHasher hasher, CancellationToken ct)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return null;
        var token = header["Bearer ".Length..].Trim();
        if (!token.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        var client = await store.FindAsync(id, ct);
        return client?.RegistrationAccessTokenHash is { } hash && hasher.Verify(token, hash) ? client : null;
    }

    /// <summary>Hydra's answer: the client without its metadata, the secret and registration access token when just made.</summary>
    static ClientJson Answer(StoredClient client, IProjectContext project, string? secret, string? token) =>
        ClientJson.From(client, secret) with
        {
            Metadata = null,
            RegistrationAccessToken = token,
            RegistrationClientUri = $"{project.Issuer}/oauth2/register/{Uri.EscapeDataString(client.Id)}",
        };
}
