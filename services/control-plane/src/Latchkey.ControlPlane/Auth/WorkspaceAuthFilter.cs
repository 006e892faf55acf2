using Latchkey.ControlPlane.Http;
using Latchkey.ServiceDefaults;
using Latchkey.Storage;

namespace Latchkey.ControlPlane.Auth;

/// <summary>
/// Admits only requests bearing a valid workspace API key (<c>lk_wak_…</c>); anything else, including a
/// project API key, is 401. The caller's workspace is then available as <see cref="WorkspaceCaller"/>.
/// </summary>
internal sealed class WorkspaceAuthFilter(ApiKeyDirectory keys) : IEndpointFilter
{
    const string Scheme = "Bearer ";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || header.Length == Scheme.Length)
            return Challenge(http, ControlPlaneErrors.MissingKey);

        var key = await keys.VerifyAsync(header[Scheme.Length..].Trim(), http.RequestAborted);
        if (key is not { Kind: ApiKeyKind.Workspace }) return Challenge(http, ControlPlaneErrors.InvalidKey);

        http.Features.Set(new WorkspaceCaller(key.WorkspaceId, key.Id));
        return await next(context);
    }

    static IResult Challenge(HttpContext http, OryError error)
    {
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return error.ToResult();
    }
}
