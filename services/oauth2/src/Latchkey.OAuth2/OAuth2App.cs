using Latchkey.OAuth2.Admin;
using Latchkey.OAuth2.Clients;
using Latchkey.OAuth2.Credentials;
using Latchkey.OAuth2.Device;
using Latchkey.OAuth2.Flows;
using Latchkey.OAuth2.Hosted;
using Latchkey.OAuth2.Keys;
using Latchkey.OAuth2.Outbound;
using Latchkey.OAuth2.Registration;
using Latchkey.OAuth2.Server;
using Latchkey.OAuth2.Storage;
using Latchkey.OAuth2.Tokens;
using Latchkey.OAuth2.Trust;
using Latchkey.OAuth2.Usage;
using Latchkey.ServiceDefaults;
using Latchkey.Storage;

namespace Latchkey.OAuth2;

/// <summary>The oauth2 service: every project's OAuth2 server, behind <c>&lt;slug&gt;.projects.&lt;domain&gt;</c>.</summary>
public static class OAuth2App
{
    /// <summary>
    /// The largest request body the service reads, as the gateway caps it: a request that reaches the service
    /// directly gets no more. The largest legitimate body, a key set of a few RSA private keys, is far smaller.
    /// </summary>
    public const long MaxRequestBodyBytes = 256 * 1024;

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        // Exception handlers run in registration order: this one answers every error in the OAuth2 shape
        // before the shared one would answer in the control plane's envelope.
        builder.Services.AddExceptionHandler<OAuth2ExceptionHandler>();
        builder.AddLatchkeyDefaults("oauth2", defaultPort: 4432);
        builder.Services.AddLatchkeyStorage();
        builder.Services.AddOAuth2Server();
        builder.Services.AddAdminAuthentication();
        builder.Services.AddUsageMetering();
        builder.Services.AddHostedUi();
        JanitorService.Register(builder.Services, builder.Configuration);
        OutboundHttp.Register(builder.Services);
        LogoutNotifier.Register(builder.Services);

        var app = builder.Build();
        var directory = app.Services.GetRequiredService<ProjectDirectory>();
        directory.Changed += app.Services.GetRequiredService<ProjectServerOptions>().Invalidate;

        // Outermost, so they see every answer, the exception handler's included, and the time of the whole request;
        // both read the project once the request is answered.
        app.UseMiddleware<AdminCallCounting>();
        app.UseMiddleware<OpsRecording>();
        // Where the host would insert routing by itself: after the two, before everything else.
        app.UseRouting();
        app.MapLatchkeyDefaults();
        app.UseStatusCodePages(OAuth2ExceptionHandler.WriteEmptyErrorAsync);
        app.UseMiddleware<ProjectResolutionMiddleware>();
        // After project resolution: an admin key is valid only for its own project (or that project's workspace).
        app.UseAuthentication();
        app.UseAuthorization();
        var admin = app.MapGroup("/admin").RequireAuthorization(AdminAuthentication.Policy);
        admin.MapClients();
        admin.MapTokens();
        admin.MapFlows();
        admin.MapDevice();
        admin.MapSessions();
        admin.MapKeys();
        admin.MapTrust();
        admin.MapVersion();
        app.MapHostedUi();
        app.MapOpenIddictEndpointRoutes();
        app.MapRegistration();
        app.MapCredentials();
        app.MapVersion();
        app.MapFallback((HttpContext http) => ServerErrors.NoEndpoint(http.Request.Method, http.Request.Path).ToResult());
        return app;
    }
}
