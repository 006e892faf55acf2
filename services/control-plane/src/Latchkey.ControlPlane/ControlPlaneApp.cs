using Latchkey.ControlPlane.Accounts;
using Latchkey.ControlPlane.Auth;
using Latchkey.ControlPlane.Bootstrap;
using Latchkey.ControlPlane.Http;
using Latchkey.ControlPlane.Ops;
using Latchkey.ControlPlane.Projects;
using Latchkey.ControlPlane.Tokens;
using Latchkey.ControlPlane.Usage;
using Latchkey.ServiceDefaults;
using Latchkey.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Latchkey.ControlPlane;

/// <summary>
/// The control plane (<c>api.&lt;domain&gt;</c>): workspaces' projects, their OAuth2 config and project API keys.
/// Tests host it in-process through <see cref="Build"/>.
/// </summary>
public static class ControlPlaneApp
{
    public const string DefaultUrl = "http://127.0.0.1:4431";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddLatchkeyDefaults("control-plane");
        if (!HasListenAddress(builder.Configuration)) builder.WebHost.UseUrls(DefaultUrl);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = RequestJson.MaxBodyBytes);

        builder.Services.AddLatchkeyStorage(ControlPlaneSchema.Configure);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ProjectStore>();
        builder.Services.AddSingleton<TokenStore>();
        SignInFailures.Register(builder.Services);
        // Registered after AddLatchkeyStorage, so it starts after Marten has applied the schema.
        builder.Services.AddHostedService<WorkspaceBootstrap>();

        var app = builder.Build();
        // Unknown routes (404) and wrong methods (405) answer in Ory's envelope too.
        app.UseStatusCodePages(ErrorPages.WriteAsync);
        var projects = app.MapGroup("/projects").AddEndpointFilter<WorkspaceAuthFilter>();
        projects.MapProjects();
        projects.MapProjectTokens();
        projects.MapProjectUsage();
        projects.MapProjectOps();
        app.MapAccounts();
        app.MapLatchkeyDefaults();
        return app;
    }

    /// <summary>True when the caller chose where to listen (<c>--urls</c>, <c>ASPNETCORE_URLS</c>, <c>HTTP_PORTS</c>, Kestrel endpoints).</summary>
    static bool HasListenAddress(ConfigurationManager config) =>
        !string.IsNullOrWhiteSpace(config["urls"])
        || !string.IsNullOrWhiteSpace(config["http_ports"])
        || !string.IsNullOrWhiteSpace(config["https_ports"])
        || config.GetSection("Kestrel:Endpoints").Exists();
}
