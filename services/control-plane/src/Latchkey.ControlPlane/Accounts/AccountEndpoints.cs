using Latchkey.ControlPlane.Auth;
using Latchkey.ControlPlane.Http;
using Latchkey.ServiceDefaults;
using Latchkey.Storage;

namespace Latchkey.ControlPlane.Accounts;

/// <summary>
/// Console accounts: <c>POST /accounts</c> (sign up, or add an account to the caller's workspace),
/// <c>GET /accounts</c>, <c>DELETE /accounts/{email}</c>, <c>POST /accounts/sessions</c> (sign in, answers a
/// short-lived workspace key) and <c>DELETE /accounts/sessions/current</c> (sign out).
/// </summary>
public static class AccountEndpoints
{
    const string Scheme = "Bearer ";

    public static WebApplication MapAccounts(this WebApplication app)
    {
        var store = ActivatorUtilities.CreateInstance<AccountStore>(app.Services);
        var accounts = app.MapGroup("/accounts");
        accounts.MapPost("/", (HttpContext http, ApiKeyDirectory keys, CancellationToken ct) => Create(http, store, keys, ct));
        accounts.MapGet("/", (HttpContext http, CancellationToken ct) => List(http, store, ct)).RequireAuthorization(WorkspaceAuthentication.Policy);
        accounts.MapDelete("/{id}", (string id, HttpContext http, CancellationToken ct) => Delete(id, http, store, ct)).RequireAuthorization(WorkspaceAuthentication.Policy);
        accounts.MapPost("/sessions", (HttpContext http, CancellationToken ct) => SignIn(http, store, ct));
        accounts.MapDelete("/sessions/current", (HttpContext http, ApiKeyDirectory keys, CancellationToken ct) => SignOut(http, store, keys, ct));
        return app;
    }

    static async Task<IResult> Create(HttpContext http, AccountStore store, ApiKeyDirectory keys, CancellationToken ct)
    {
        // With a workspace key, the account joins that workspace: how the bootstrap workspace gets an account.
        ApiKey? key = null;
        if (Bearer(http) is { } presented)
        {
            key = await keys.VerifyAsync(presented, ct);
            if (key is not { Kind: ApiKeyKind.Workspace }) return AccountErrors.InvalidKey.ToResult();
        }

        var (body, error) = await RequestJson.ReadAsync(http.Request, ct);
        if (error is not null) return error.ToResult();
        if (AccountFields.Read(body, out var email, out var password) is { } problem) return AccountErrors.InvalidField(problem).ToResult();
        if (AccountFields.NewPassword(password) is { } weak) return AccountErrors.InvalidField(weak).ToResult();
        if (AccountFields.Optional(body, "current_password", out var currentPassword) is { } badCurrent) return AccountErrors.InvalidField(badCurrent).ToResult();

        // A session key lives 12 hours in a browser; only its owner, re-entering the password, may mint a permanent account with it.
        if (key is not null && AccountStore.IsSession(key) && await store.ConfirmOwnerAsync(key, currentPassword, ct) is { } refused)
            return Refuse(http, refused);

        if (await store.CreateAsync(email, password, key?.WorkspaceId, ct) is { } conflict) return conflict.ToResult();
        return TypedResults.Created($"/accounts/{Uri.EscapeDataString(email)}", new { id = email, email });
    }

    static async Task<IResult> List(HttpContext http, AccountStore store, CancellationToken ct)
    {
        var accounts = await store.ListAsync(WorkspaceCaller.Of(http).WorkspaceId, ct);
        return TypedResults.Ok(accounts.Select(AccountJson.From).ToList());
    }

    static async Task<IResult> Delete(string id, HttpContext http, AccountStore store, CancellationToken ct) =>
        await store.DeleteAsync(WorkspaceCaller.Of(http).WorkspaceId, AccountFields.Normalize(id), ct) is { } error
            ? error.ToResult()
            : TypedResults.NoContent();

    static async Task<IResult> SignIn(HttpContext http, AccountStore store, CancellationToken ct)
    {
        var (body, error) = await RequestJson.ReadAsync(http.Request, ct);
        if (error is not null) return error.ToResult();
        if (AccountFields.Read(body, out var email, out var password) is not null) return AccountErrors.WrongCredentials.ToResult();

        var outcome = await store.SignInAsync(email, password, ct);
        if (outcome.IsThrottled) return Refuse(http, AccountErrors.TooManyAttempts);
        if (outcome is not { Key: { } key, Value: { } value }) return AccountErrors.WrongCredentials.ToResult();
        return TypedResults.Ok(new SessionJson(key.WorkspaceId, value, key.ExpiresAt!.Value));
    }

    static async Task<IResult> SignOut(HttpContext http, AccountStore store, ApiKeyDirectory keys, CancellationToken ct)
    {
        if (Bearer(http) is not { } presented || await keys.VerifyAsync(presented, ct) is not { Kind: ApiKeyKind.Workspace } key)
            return AccountErrors.InvalidKey.ToResult();
        // Only session keys: a long-lived workspace key must not disappear through the sign-out route.
        if (key.Name != AccountStore.SessionKeyName || key.ExpiresAt is null) return AccountErrors.NotASession.ToResult();
        await store.RevokeAsync(key, ct);
        return TypedResults.NoContent();
    }

    static IResult Refuse(HttpContext http, OryError error)
    {
        if (error.Code == StatusCodes.Status429TooManyRequests) http.Response.Headers.RetryAfter = "300";
        return error.ToResult();
    }

    static string? Bearer(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        return header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) && header.Length > Scheme.Length ? header[Scheme.Length..].Trim() : null;
    }
}
