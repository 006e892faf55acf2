using Latchkey.OAuth2.Admin;
using Latchkey.OAuth2.Clients;
using Latchkey.OAuth2.Flows;
using Latchkey.OAuth2.Hosted;
using Latchkey.OAuth2.Keys;
using Latchkey.OAuth2.Server;
using Latchkey.OAuth2.Tokens;
using Latchkey.OAuth2.Usage;
using Latchkey.ServiceDefaults;
using Latchkey.Storage;

namespace Latchkey.OAuth2;

/// <summary>The oauth2 service: every project's OAuth2 server, behind <c>&lt;slug&gt;.projects.&lt;domain&gt;</c>.</summary>
public static class OAuth2App
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddLatchkeyDefaults("oauth2", defaultPort: 4432);
        builder.Services.AddExceptionHandler<StorageExceptionHandler>();
        builder.Services.AddLatchkeyStorage();
        builder.Services.AddOAuth2Server();
        builder.Services.AddUsageMetering();
        builder.Services.AddHostedUi();
        builder.Services.AddHostedService<FlowJanitor>();

        var app = builder.Build();
        var directory = app.Services.GetRequiredService<ProjectDirectory>();
        directory.Changed += app.Services.GetRequiredService<ProjectServerOptions>().Invalidate;

        app.MapLatchkeyDefaults();
        app.UseMiddleware<ProjectResolutionMiddleware>();
        app.UseAuthentication();
        var admin = app.MapGroup("/admin").AddEndpointFilter<AdminAuthentication>();
        admin.MapClients();
        admin.MapTokens();
        admin.MapFlows();
        admin.MapSessions();
        admin.MapKeys();
        app.MapHostedUi();
        app.MapFallback((HttpContext http) => OryError.NotFound($"No endpoint at {http.Request.Method} {http.Request.Path}.").ToResult());
        return app;
    }
}
