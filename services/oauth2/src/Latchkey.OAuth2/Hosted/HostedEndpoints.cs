using System.Text.Json.Nodes;
using Latchkey.OAuth2.Clients;
using Latchkey.OAuth2.Flows;
using Latchkey.ServiceDefaults;
using Latchkey.Tenancy;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Latchkey.OAuth2.Hosted;

/// <summary>
/// The hosted login, sign-up and consent pages on each project's own host, used when the project has no
/// <c>urls.login</c>/<c>urls.consent</c>. They talk to the flow exactly as an external login app does: through
/// the handlers behind Hydra's admin login and consent API, called in-process.
/// </summary>
public static class HostedEndpoints
{
    public const int MinPasswordLength = 8;
    const int MaxPasswordLength = 1024;
    const int MaxEmailLength = 254;
    const string InvalidCredentials = "The email or password is incorrect.";

    public static IServiceCollection AddHostedUi(this IServiceCollection services)
    {
        services.AddAntiforgery();
        // Named and scoped like the flow cookies (see ProjectCookies), so a sibling project's host cannot plant it.
        services.AddOptions<AntiforgeryOptions>().Configure<PlatformSettings>((options, settings) =>
        {
            var https = ProjectCookies.UsesHostPrefix(settings);
            options.Cookie.Name = https ? ProjectCookies.HostPrefix + "lk_af" : "lk_af";
            options.Cookie.Path = "/";
            options.Cookie.Domain = null;
            options.Cookie.SecurePolicy = https ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        });
        // Antiforgery tokens survive restarts; replicas need these keys on shared storage.
        services.AddDataProtection().SetApplicationName("latchkey-oauth2");
        services.AddOptions<KeyManagementOptions>().Configure<PlatformSettings, ILoggerFactory>((options, settings, logs) =>
            options.XmlRepository = new FileSystemXmlRepository(
                new DirectoryInfo(Path.Combine(Path.GetFullPath(settings.StateDirectory), "oauth2-keys")), logs));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddScoped<HostedUsers>();
        return services;
    }

    public static RouteGroupBuilder MapHostedUi(this IEndpointRouteBuilder app)
    {
        var ui = app.MapGroup("/ui").ExcludeFromDescription();
        ui.MapGet("/login", LoginPage);
        ui.MapPost("/login", Login).DisableAntiforgery();
        ui.MapGet("/registration", RegistrationPage);
        ui.MapPost("/registration", Register).DisableAntiforgery();
        ui.MapGet("/consent", ConsentPage);
        ui.MapPost("/consent", Consent).DisableAntiforgery();
        ui.MapGet("/logout", LogoutPage);
        ui.MapPost("/logout", Logout).DisableAntiforgery();
        ui.MapGet("/logged-out", () => HostedPages.Message("Signed out", "You have signed out."));
        return ui;
    }

    // ---- login ----

    static async Task<IResult> LoginPage(HttpContext http, string? login_challenge, IAntiforgery antiforgery, FlowStore flows, ClientStore clients, IProjectContext project, CancellationToken ct)
    {
        if (await LoginRequestAsync(login_challenge, flows, clients, ct) is not { } request) return await HandledOrUnknownAsync(login_challenge, consent: false, flows, clients, ct);
        // A remembered login: confirm it without asking, as a Hydra login app must.
        if (request.Skip) return await AcceptLoginAsync(request.Challenge, request.Subject, remember: false, flows, project, ct);
        return HostedPages.Html(HostedPages.Login(antiforgery.GetAndStoreTokens(http), request.Challenge, NameOf(request.Client), null, null), redirectTargets: LoginTargets(request, project));
    }

    static async Task<IResult> Login(HttpContext http, IAntiforgery antiforgery, FlowStore flows, ClientStore clients, HostedUsers users, IProjectContext project, CancellationToken ct)
    {
        if (await FormAsync(http, antiforgery) is not { } form) return Forbidden();
        string challenge = form["login_challenge"].ToString(), email = form["email"].ToString(), password = form["password"].ToString();
        if (await LoginRequestAsync(challenge, flows, clients, ct) is not { } request) return await HandledOrUnknownAsync(challenge, consent: false, flows, clients, ct);

        IResult Again(string error, int status) =>
            HostedPages.Html(HostedPages.Login(antiforgery.GetAndStoreTokens(http), request.Challenge, NameOf(request.Client), email, error), status, LoginTargets(request, project));

        if (email.Length is 0 or > MaxEmailLength || password.Length is 0 or > MaxPasswordLength) return Again(InvalidCredentials, StatusCodes.Status422UnprocessableEntity);
        var (status, user) = await users.SignInAsync(email, password, ct);
        return status switch
        {
            HostedUsers.SignInStatus.Ok => await AcceptLoginAsync(request.Challenge, user!.Id.ToString(), form["remember"] == "true", flows, project, ct),
            HostedUsers.SignInStatus.Throttled => Again("Too many failed attempts. Wait a few minutes, then try again.", StatusCodes.Status429TooManyRequests),
            _ => Again(InvalidCredentials, StatusCodes.Status422UnprocessableEntity),
        };
    }

    // ---- registration ----

    static async Task<IResult> RegistrationPage(HttpContext http, string? login_challenge, IAntiforgery antiforgery, FlowStore flows, ClientStore clients, IProjectContext project, CancellationToken ct)
    {
        if (await LoginRequestAsync(login_challenge, flows, clients, ct) is not { } request) return await HandledOrUnknownAsync(login_challenge, consent: false, flows, clients, ct);
        return HostedPages.Html(HostedPages.Registration(antiforgery.GetAndStoreTokens(http), request.Challenge, null, null), redirectTargets: LoginTargets(request, project));
    }

    static async Task<IResult> Register(HttpContext http, IAntiforgery antiforgery, FlowStore flows, ClientStore clients, HostedUsers users, IProjectContext project, CancellationToken ct)
    {
        if (await FormAsync(http, antiforgery) is not { } form) return Forbidden();
        string challenge = form["login_challenge"].ToString(), email = HostedUsers.Normalize(form["email"]), password = form["password"].ToString();
        if (await LoginRequestAsync(challenge, flows, clients, ct) is not { } request) return await HandledOrUnknownAsync(challenge, consent: false, flows, clients, ct);

        IResult Again(string error) =>
            HostedPages.Html(HostedPages.Registration(antiforgery.GetAndStoreTokens(http), request.Challenge, email, error), StatusCodes.Status422UnprocessableEntity, LoginTargets(request, project));

        if (email.Length > MaxEmailLength || email.IndexOf('@', StringComparison.Ordinal) is < 1 || email.EndsWith('@') || email.Any(char.IsWhiteSpace))
            return Again("Enter a valid email address.");
        if (password.Length < MinPasswordLength) return Again($"The password must have at least {MinPasswordLength} characters.");
        if (password.Length > MaxPasswordLength) return Again($"The password must have at most {MaxPasswordLength} characters.");
        if (await users.CreateAsync(email, password, ct) is not { } user) return Again("An account with this email already exists. Sign in instead.");
        return await AcceptLoginAsync(request.Challenge, user.Id.ToString(), remember: false, flows, project, ct);
    }

    // ---- consent ----

    static async Task<IResult> ConsentPage(HttpContext http, string? consent_challenge, IAntiforgery antiforgery, FlowStore flows, ClientStore clients, HostedUsers users, CancellationToken ct)
    {
        if (await ConsentRequestAsync(consent_challenge, flows, clients, ct) is not { } request) return await HandledOrUnknownAsync(consent_challenge, consent: true, flows, clients, ct);
        // Remembered consent (or a client that skips consent): grant what is asked without asking.
        if (request.Skip) return FollowOrError(await AcceptConsentAsync(request, [.. request.RequestedScope], remember: false, flows, clients, users, ct));
        // The challenge travels in URLs (history, logs, a login app's referrer); the account's email is shown
        // only to the browser that holds this flow's cookie, i.e. the one that signed in.
        var flow = await flows.FindAsync(FlowSecrets.FlowIdOf(request.Challenge), ct);
        var ownBrowser = flow is not null && FlowCookies.IsPresent(http, flow.Id, flow.Csrf);
        var user = ownBrowser && Guid.TryParse(request.Subject, out var id) ? await users.FindAsync(id, ct) : null;
        return HostedPages.Html(HostedPages.Consent(antiforgery.GetAndStoreTokens(http), request.Challenge, NameOf(request.Client), request.RequestedScope, user?.Email, null),
            redirectTargets: [RequestParameter(request.RequestUrl, "redirect_uri")]);
    }

    static async Task<IResult> Consent(HttpContext http, IAntiforgery antiforgery, FlowStore flows, ClientStore clients, HostedUsers users, CancellationToken ct)
    {
        if (await FormAsync(http, antiforgery) is not { } form) return Forbidden();
        var challenge = form["consent_challenge"].ToString();
        if (await ConsentRequestAsync(challenge, flows, clients, ct) is not { } request) return await HandledOrUnknownAsync(challenge, consent: true, flows, clients, ct);

        IResult result;
        if (form["action"] == "allow")
        {
            var granted = form["grant_scope"].OfType<string>().Where(request.RequestedScope.Contains).Distinct().ToList();
            result = await AcceptConsentAsync(request, granted, form["remember"] == "true", flows, clients, users, ct);
        }
        else
        {
            result = await FlowEndpoints.RejectConsent(request.Challenge,
                new RejectJson("access_denied", "The resource owner denied the request.", null, 403), flows, ct);
        }
        return FollowOrError(result);
    }

    static async Task<IResult> AcceptConsentAsync(ConsentRequestJson request, List<string> granted, bool remember, FlowStore flows, ClientStore clients, HostedUsers users, CancellationToken ct)
    {
        var user = Guid.TryParse(request.Subject, out var id) ? await users.FindAsync(id, ct) : null;
        var idToken = user is null ? null : new JsonObject { ["email"] = user.Email };
        return await FlowEndpoints.AcceptConsent(request.Challenge,
            new AcceptConsentJson(granted, [.. request.RequestedAccessTokenAudience], remember, 0, new ConsentClaimsJson(null, idToken), null),
            flows, clients, ct);
    }

    // ---- logout ----

    static async Task<IResult> LogoutPage(HttpContext http, string? logout_challenge, IAntiforgery antiforgery, FlowStore flows, ClientStore clients, HostedUsers users, IProjectContext project, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(logout_challenge)) return Unknown();
        return await FlowEndpoints.GetLogout(logout_challenge, flows, clients, ct) switch
        {
            JsonHttpResult<LogoutRequestJson> { StatusCode: null or 200, Value: { } request } =>
                HostedPages.Html(HostedPages.Logout(antiforgery.GetAndStoreTokens(http), request.Challenge,
                    await LogoutEmailAsync(http, request, flows, users, ct)),
                    redirectTargets: [RequestParameter(request.RequestUrl, "post_logout_redirect_uri"), project.Project.OAuth2.Urls.PostLogoutRedirect]),
            IStatusCodeHttpResult { StatusCode: 410 } => Gone(),
            _ => Unknown(),
        };
    }

    static async Task<IResult> Logout(HttpContext http, IAntiforgery antiforgery, FlowStore flows, IProjectContext project, CancellationToken ct)
    {
        if (await FormAsync(http, antiforgery) is not { } form) return Forbidden();
        var challenge = form["logout_challenge"].ToString();
        if (form["action"] == "logout") return FollowOrError(await FlowEndpoints.AcceptLogout(challenge, flows, project, ct));
        return await FlowEndpoints.RejectLogout(challenge, flows, ct) switch
        {
            IStatusCodeHttpResult { StatusCode: 204 } => HostedPages.Message("Still signed in", "You stayed signed in. You can close this page."),
            IStatusCodeHttpResult { StatusCode: 410 or 409 } => Gone(),
            _ => Unknown(),
        };
    }

    // ---- the flow, through the admin API's handlers ----

    static async Task<LoginRequestJson?> LoginRequestAsync(string? challenge, FlowStore flows, ClientStore clients, CancellationToken ct) =>
        string.IsNullOrEmpty(challenge) ? null
            : await FlowEndpoints.GetLogin(challenge, flows, clients, ct) is JsonHttpResult<LoginRequestJson> { StatusCode: null or 200, Value: { } request } ? request : null;

    static async Task<ConsentRequestJson?> ConsentRequestAsync(string? challenge, FlowStore flows, ClientStore clients, CancellationToken ct) =>
        string.IsNullOrEmpty(challenge) ? null
            : await FlowEndpoints.GetConsent(challenge, flows, clients, ct) is JsonHttpResult<ConsentRequestJson> { StatusCode: null or 200, Value: { } request } ? request : null;

    /// <summary>"Remember me" keeps the login, across browser restarts, for the project's <c>ttl.authentication_session</c>.</summary>
    static async Task<IResult> AcceptLoginAsync(string challenge, string subject, bool remember, FlowStore flows, IProjectContext project, CancellationToken ct) =>
        FollowOrError(await FlowEndpoints.AcceptLogin(challenge,
            new AcceptLoginJson(subject, remember, remember ? (long)GoDuration.Parse(project.Project.OAuth2.Ttl.AuthenticationSession).TotalSeconds : null, null, ["pwd"], null), flows, ct));

    /// <summary>Sends the browser where the flow says, as a login app does with <c>redirect_to</c>.</summary>
    static IResult FollowOrError(IResult result) => result switch
    {
        JsonHttpResult<RedirectJson> { StatusCode: null or 200, Value.RedirectTo: { } to } => Results.Redirect(to),
        JsonHttpResult<RedirectJson> { StatusCode: 410 } => Gone(),
        IStatusCodeHttpResult { StatusCode: 409 } => Gone(),
        _ => Unknown(),
    };

    static async Task<IResult> HandledOrUnknownAsync(string? challenge, bool consent, FlowStore flows, ClientStore clients, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(challenge)) return HostedPages.ErrorPage("Missing sign-in request", "This page must be opened from an application's sign-in link.", StatusCodes.Status400BadRequest);
        var result = consent ? await FlowEndpoints.GetConsent(challenge, flows, clients, ct) : await FlowEndpoints.GetLogin(challenge, flows, clients, ct);
        return result is IStatusCodeHttpResult { StatusCode: 410 } ? Gone() : Unknown();
    }

    static IResult Gone() => HostedPages.ErrorPage("Request already handled", "This sign-in request was already completed or cancelled.", StatusCodes.Status410Gone);

    static IResult Unknown() => HostedPages.ErrorPage("Sign-in request not found", "This sign-in request is unknown or has expired.", StatusCodes.Status400BadRequest);

    static IResult Forbidden() => HostedPages.ErrorPage("Form expired", "The form was not valid or has expired. Go back, reload the page and try again.", StatusCodes.Status400BadRequest);

    /// <summary>The posted form, or null unless it carries a valid antiforgery token.</summary>
    static async Task<IFormCollection?> FormAsync(HttpContext http, IAntiforgery antiforgery)
    {
        if (!http.Request.HasFormContentType) return null;
        try
        {
            if (!await antiforgery.IsRequestValidAsync(http)) return null;
        }
        catch (AntiforgeryValidationException)
        {
            return null;
        }
        return await http.Request.ReadFormAsync(http.RequestAborted);
    }

    /// <summary>As on the consent page: the email only for the browser that holds the logout flow's cookie.</summary>
    static async Task<string?> LogoutEmailAsync(HttpContext http, LogoutRequestJson request, FlowStore flows, HostedUsers users, CancellationToken ct)
    {
        var flow = await flows.FindLogoutAsync(FlowSecrets.FlowIdOf(request.Challenge), ct);
        if (flow is null || !FlowCookies.IsPresent(http, flow.Id, flow.Csrf) || !Guid.TryParse(request.Subject, out var id)) return null;
        return (await users.FindAsync(id, ct))?.Email;
    }

    /// <summary>Where a login may end: the consent app (when external), then the client's redirect URI.</summary>
    static string?[] LoginTargets(LoginRequestJson request, IProjectContext project) =>
        [project.Project.OAuth2.Urls.Consent, RequestParameter(request.RequestUrl, "redirect_uri")];

    static string? RequestParameter(string requestUrl, string name) =>
        Uri.TryCreate(requestUrl, UriKind.Absolute, out var uri) && QueryHelpers.ParseQuery(uri.Query).TryGetValue(name, out var value) ? value.ToString() : null;

    static string NameOf(ClientJson client) => string.IsNullOrWhiteSpace(client.ClientName) ? client.ClientId ?? "" : client.ClientName;
}
