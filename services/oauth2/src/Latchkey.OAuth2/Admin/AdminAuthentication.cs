using Latchkey.ServiceDefaults;
using Latchkey.Storage;
using Latchkey.Tenancy;

namespace Latchkey.OAuth2.Admin;

/// <summary>
/// Guards every <c>/admin</c> endpoint: a project API key of this project, or a workspace key of the
/// workspace that owns it. Anything else — including a key of another project — is 401.
/// </summary>
public sealed class AdminAuthentication(ApiKeyDirectory keys, IProjectContext project) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var header = http.Request.Headers.Authorization.ToString();
        var key = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? await keys.VerifyAsync(header["Bearer ".Length..].Trim(), http.RequestAborted)
            : null;

        var owns = key switch
        {
            { Kind: ApiKeyKind.Project } => key.ProjectId == project.Project.Id,
            { Kind: ApiKeyKind.Workspace } => key.WorkspaceId == project.Project.WorkspaceId,
            _ => false,
        };
        if (!owns)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return OAuth2Error.Unauthorized("A project API key of this project, or a workspace API key of its workspace, is required.").ToResult();
        }
        return await next(context);
    }
}
