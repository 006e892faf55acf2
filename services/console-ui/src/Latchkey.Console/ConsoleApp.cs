using Latchkey.Console.Platform;
using Latchkey.ServiceDefaults;
using Latchkey.Storage.DataProtection;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.Features;

namespace Latchkey.Console;

/// <summary>
/// The web console (<c>console.&lt;domain&gt;</c>): server-rendered Razor Pages that work without JavaScript,
/// with Chart.js islands for usage. It holds no data of its own: every page calls the control plane and the
/// project admin APIs through the gateway with the signed-in account's session key, kept in the encrypted
/// auth cookie; its only database access is its data-protection key ring. Tests host it in-process through <see cref="Build"/>.
/// </summary>
public static class ConsoleApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // Hosted from another assembly (tests), the pages and wwwroot must still be found beside this one.
            ApplicationName = typeof(ConsoleApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        builder.AddLatchkeyDefaults("console", defaultPort: 4433);
        var settings = PlatformSettings.From(builder.Configuration);
        // Behind TLS termination the console itself sees http; the public URL says what browsers use.
        var secure = settings.PublicUrl.Scheme == Uri.UriSchemeHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = ResponseHardening.MaxFormBytes);
        builder.Services.Configure<FormOptions>(options =>
        {
            options.BufferBodyLengthLimit = ResponseHardening.MaxFormBytes;
            options.MultipartBodyLengthLimit = ResponseHardening.MaxFormBytes;
            options.ValueLengthLimit = ResponseHardening.MaxFormBytes;
        });
        // Every cookie, the auth and antiforgery cookies and any other, is Secure when the public URL is https: the
        // cookie policy marks whatever is appended. Antiforgery's own SecurePolicy stays SameAsRequest, because at
        // Always it refuses every request that does not arrive as https, which is all of them behind TLS termination
        // unless the proxy's X-Forwarded-Proto is trusted.
        builder.Services.Configure<CookiePolicyOptions>(options => options.Secure = secure);

        builder.Services.AddRazorPages(options =>
        {
            options.Conventions.AuthorizeFolder("/");
            options.Conventions.AllowAnonymousToFolder("/Account");
            options.Conventions.AllowAnonymousToPage("/Error");
            options.Conventions.AddPageRoute("/Projects/Index", "/");
            options.Conventions.AddPageRoute("/Projects/Clients/Edit", "/projects/{id}/clients/new");
        }).AddMvcOptions(options => options.Filters.Add<ApiErrorFilter>());
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = "lk_console";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = secure;
                options.LoginPath = "/sign-in";
                options.LogoutPath = "/sign-out";
                options.AccessDeniedPath = "/sign-in";
                // The cookie never outlives the session key inside it.
                options.ExpireTimeSpan = TimeSpan.FromHours(12);
                options.SlidingExpiration = false;
                options.Events.OnValidatePrincipal = ConsoleSession.ValidateAsync;
            });
        builder.Services.AddAuthorization();
        // Cookies and antiforgery tokens survive restarts and are read by every replica: the key ring is in
        // PostgreSQL, the one table the console reads.
        builder.Services.AddLatchkeyDataProtection("latchkey-console");
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<PlatformApi>();
        builder.Services.AddSingleton(Pricing.From(builder.Configuration));

        var app = builder.Build();
        app.UseResponseHardening();
        app.UseCookiePolicy();
        app.MapLatchkeyDefaults();
        app.UseStatusCodePagesWithReExecute("/error/{0}");
        app.UseFormSizeLimit();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapRazorPages();
        return app;
    }
}
