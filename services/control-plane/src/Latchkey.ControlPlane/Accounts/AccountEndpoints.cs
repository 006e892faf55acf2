using Latchkey.ControlPlane.Http;
using Latchkey.Storage;

namespace Latchkey.ControlPlane.Accounts;

/// <summary>
/// Console accounts: <c>POST /accounts</c> (sign up), <c>POST /accounts/sessions</c> (sign in, answers a
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
        accounts.MapPost("/sessions", (HttpContext http, CancellationToken ct) => SignIn(http, store, ct));
        accounts.MapDelete("/sessions/current", (HttpContext http, ApiKeyDirectory keys, CancellationToken ct) => SignOut(http, store, keys, ct));
        return app;
    }

    static async Task<IResult> Create(HttpContext http, AccountStore store, ApiKeyDirectory keys, CancellationToken ct)
    {
        // With a workspace key, the account joins that workspace: how the bootstrap workspace gets an account.
        Guid? workspaceId = null;
        if (Bearer(http) is { } presented)
        {
            if (await keys.VerifyAsync(presented, ct) is not { Kind: ApiKeyKind.Workspace } key) return AccountErrors.InvalidKey.ToResult();
            workspaceId = key.WorkspaceId;
        }

        var (body, error) = await RequestJson.ReadAsync(http.Request, ct);
        if (error is not null) return error.ToResult();
        if (AccountFields.Read(body, out var email, out var password) is { } problem) return ControlPlaneErrors.Invalid(problem).ToResult();
        if (AccountFields.NewPassword(password) is { } weak) return ControlPlaneErrors.Invalid(weak).ToResult();

        if (await store.CreateAsync(email, password, workspaceId, ct) is { } conflict) return conflict.ToResult();
        return TypedResults.Created("/accounts/sessions", new { email });
    }

    static async Task<IResult> SignIn(HttpContext http, AccountStore store, CancellationToken ct)
    {
        var (body, error) = await RequestJson.ReadAsync(http.Request, ct);
        if (error is not null) return error.ToResult();
        if (AccountFields.Read(body, out var email, out var password) is not null) return AccountErrors.WrongCredentials.ToResult();

        if (await store.IsThrottledAsync(email, ct))
        {
            http.Response.Headers.RetryAfter = "300";
            return AccountErrors.TooManyAttempts.ToResult();
        }
        if (await store.SignInAsync(email, password, ct) is not { } session) return AccountErrors.WrongCredentials.ToResult();
        return TypedResults.Ok(new SessionJson(session.Key.WorkspaceId, session.Value, session.Key.ExpiresAt!.Value));
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

    static string? Bearer(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        return header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) && header.Length > Scheme.Length ? header[Scheme.Length..].Trim() : null;
    }
}
