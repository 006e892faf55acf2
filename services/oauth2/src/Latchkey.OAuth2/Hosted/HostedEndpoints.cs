using System.Text.Json.Nodes;
using Latchkey.OAuth2.Clients;
using Latchkey.OAuth2.Flows;
using Latchkey.ServiceDefaults;
using Latchkey.Storage.DataProtection;
using Latchkey.Tenancy;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Latchkey.OAuth2.Hosted;

/// <summary>
/// The hosted login, sign-up and consent pages on each project's own host, used when the project has no
/// <c>urls.login</c>/<c>urls.consent</c>. They take the same steps as an external login app does through Hydra's
/// admin API, from the same <see cref="FlowService"/>, and show its answers as pages.
/// </summary>
public static class HostedEndpoints
{
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 1024;
    const int MaxEmailLength = 254;

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
        // Antiforgery tokens survive restarts and a form served by one replica is accepted by the next: the key
        // ring is in PostgreSQL.
        services.AddLatchkeyDataProtection("latchkey-oauth2");
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
        ui.MapHostedDevicePages();
        return ui;
    }

    // ---- login ----

    static async Task<IResult> LoginPage(HttpContext http, string? login_challenge, IAntiforgery antiforgery, FlowService flows, IProjectContext project, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(login_challenge)) return HostedPages.ErrorPage(HostedErrors.MissingChallenge);
        if ((await flows.GetLoginRequestAsync(login_challenge, ct)).Failed(out var refused, out var request)) return RequestRefused(refused);
        // A remembered login: confirm it without asking, as a Hydra login app must.
        if (request.Skip) return await AcceptLoginAsync(request.Challenge, request.Subject, remember: false, flows, project, ct);
        return HostedPages.Html(HostedPages.Login(antiforgery.GetAndStoreTokens(http), request.Challenge, NameOf(request.Client), null, null), redirectTargets: LoginTargets(request, project));
    }

    static async Task<IResult> Login(HttpContext http, IAntiforgery antiforgery, FlowService flows, HostedUsers users, IProjectContext project, CancellationToken ct)
    {
        if (await FormAsync(http, antiforgery) is not { } form) return HostedPages.ErrorPage(HostedErrors.FormExpired);
        string challenge = form["login_challenge"].ToString(), email = form["email"].ToString(), password = form["password"].ToString();
        if (string.IsNullOrEmpty(challenge)) return HostedPages.ErrorPage(HostedErrors.MissingChallenge);
        if ((await flows.GetLoginRequestAsync(challenge, ct)).Failed(out var refused, out var request)) return RequestRefused(refused);

        IResult Again(HostedError error) =>
            HostedPages.Html(HostedPages.Login(antiforgery.GetAndStoreTokens(http), request.Challenge, NameOf(request.Client), email, error.Message), error.Status, LoginTargets(request, project));

        if (email.Length is 0 or > MaxEmailLength || password.Length is 0 or > MaxPasswordLength) return Again(HostedErrors.InvalidCredentials);
        var (status, user) = await users.SignInAsync(email, password, ct);
        return status switch
        {
            HostedUsers.SignInStatus.Ok => await AcceptLoginAsync(request.Challenge, user!.Id.ToString(), form["remember"] == "true", flows, project, ct),
            HostedUsers.SignInStatus.Throttled => Again(HostedErrors.Throttled),
            _ => Again(HostedErrors.InvalidCredentials),
        };
    }

    /// <summary>"Remember me" keeps the login, across browser restarts, for the project's <c>ttl.authentication_session</c>.</summary>
    static async Task<IResult> AcceptLoginAsync(string challenge, string subject, bool remember, FlowService flows, IProjectContext project, CancellationToken ct) =>
        Follow(await flows.AcceptLoginAsync(challenge,
            new AcceptLoginJson(subject, remember, remember ? (long)GoDuration.Parse(project.Project.OAuth2.Ttl.AuthenticationSession).TotalSeconds : null, null, ["pwd"], null), ct));

    // ---- registration ----

    static async Task<IResult> RegistrationPage(HttpContext http, string? login_challenge, IAntiforgery antiforgery, FlowService flows, IProjectContext project, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(login_challenge)) return HostedPages.ErrorPage(HostedErrors.MissingChallenge);
        if ((await flows.GetLoginRequestAsync(login_challenge, ct)).Failed(out var refused, out var request)) return RequestRefused(refused);
        return HostedPages.Html(HostedPages.Registration(antiforgery.GetAndStoreTokens(http), request.Challenge, null, null), redirectTargets: LoginTargets(request, project));
    }

    static async Task<IResult> Register(HttpContext http, IAntiforgery antiforgery, FlowService flows, HostedUsers users, IProjectContext project, CancellationToken ct)
    {
        if (await FormAsync(http, antiforgery) is not { } form) return HostedPages.ErrorPage(HostedErrors.FormExpired);
        string challenge = form["login_challenge"].ToString(), email = HostedUsers.Normalize(form["email"]), password = form["password"].ToString();
        if (string.IsNullOrEmpty(challenge)) return HostedPages.ErrorPage(HostedErrors.MissingChallenge);
        if ((await flows.GetLoginRequestAsync(challenge, ct)).Failed(out var refused, out var request)) return RequestRefused(refused);

        IResult Again(HostedError error) =>
            HostedPages.Html(HostedPages.Registration(antiforgery.GetAndStoreTokens(http), request.Challenge, email, error.Message), error.Status, LoginTargets(request, project));

        if (email.Length > MaxEmailLength || email.IndexOf('@', StringComparison.Ordinal) is < 1 || email.EndsWith('@') || email.Any(char.IsWhiteSpace))
            return Again(HostedErrors.InvalidEmail);
        if (password.Length < MinPasswordLength) return Again(HostedErrors.PasswordTooShort);
        if (password.Length > MaxPasswordLength) return Again(HostedErrors.PasswordTooLong);
        if (await users.CreateAsync(email, password, ct) is not { } user) return Again(HostedErrors.AccountExists);
        return await AcceptLoginAsync(request.Challenge, user.Id.ToString(), remember: false, flows, project, ct);
    }

    // ---- consent ----

    static async Task<IResult> ConsentPage(HttpContext http, string? consent_challenge, IAntiforgery antiforgery, FlowService flows, HostedUsers users, IProjectContext project, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(consent_challenge)) return HostedPages.ErrorPage(HostedErrors.MissingChallenge);
        if ((await flows.GetConsentRequestAsync(consent_challenge, ct)).Failed(out var refused, out var request)) return RequestRefused(refused);
        // Remembered consent (or a client that skips consent): grant what is asked without asking.
        if (request.Skip) return Follow(await AcceptConsentAsync(request, [.. request.RequestedScope], remember: false, flows, users, ct));
        // The challenge travels in URLs (history, logs, a login app's referrer); the account's email is shown
        // only to the browser that holds this flow's cookie, i.e. the one that signed in.
        var ownBrowser = await flows.StartedInAsync(request.Challenge, FlowCookies.Read(http, request.Challenge), ct);
        var user = ownBrowser && Guid.TryParse(request.Subject, out var id) ? await users.FindAsync(id, ct) : null;
        return HostedPages.Html(HostedPages.Consent(antiforgery.GetAndStoreTokens(http), request.Challenge, NameOf(request.Client), request.RequestedScope, user?.Email, null),
            redirectTargets: [RequestParameter(request.RequestUrl, "redirect_uri"), project.Project.OAuth2.Urls.Device.Success]);
    }

    static async Task<IResult> Consent(HttpContext http, IAntiforgery antiforgery, FlowService flows, HostedUsers users, CancellationToken ct)
    {
        if (await FormAsync(http, antiforgery) is not { } form) return HostedPages.ErrorPage(HostedErrors.FormExpired);
        var challenge = form["consent_challenge"].ToString();
        if (string.IsNullOrEmpty(challenge)) return HostedPages.ErrorPage(HostedErrors.MissingChallenge);
        if ((await flows.GetConsentRequestAsync(challenge, ct)).Failed(out var refused, out var request)) return RequestRefused(refused);

        if (form["action"] != "allow")
            return Follow(await flows.RejectConsentAsync(request.Challenge, new RejectJson("access_denied", "The resource owner denied the request.", null, 403), ct));
        var granted = form["grant_scope"].OfType<string>().Where(request.RequestedScope.Contains).Distinct().ToList();
        return Follow(await AcceptConsentAsync(request, granted, form["remember"] == "true", flows, users, ct));
    }

    static async Task<FlowResult<string>> AcceptConsentAsync(ConsentRequestJson request, List<string> granted, bool remember, FlowService flows, HostedUsers users, CancellationToken ct)
    {
        var user = Guid.TryParse(request.Subject, out var id) ? await users.FindAsync(id, ct) : null;
        var idToken = user is null ? null : new JsonObject { ["email"] = user.Email };
        return await flows.AcceptConsentAsync(request.Challenge,
            new AcceptConsentJson(granted, [.. request.RequestedAccessTokenAudience], remember, 0, new ConsentClaimsJson(null, idToken), null), ct);
    }

    // ---- logout ----

    static async Task<IResult> LogoutPage(HttpContext http, string? logout_challenge, IAntiforgery antiforgery, FlowService flows, HostedUsers users, IProjectContext project, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(logout_challenge)) return HostedPages.ErrorPage(HostedErrors.UnknownRequest);
        if ((await flows.GetLogoutRequestAsync(logout_challenge, ct)).Failed(out var refused, out var request)) return RequestRefused(refused);
        // As on the consent page: the email only for the browser that holds the logout flow's cookie.
        var ownBrowser = await flows.LogoutStartedInAsync(request.Challenge, FlowCookies.Read(http, request.Challenge), ct);
        var user = ownBrowser && Guid.TryParse(request.Subject, out var id) ? await users.FindAsync(id, ct) : null;
        return HostedPages.Html(HostedPages.Logout(antiforgery.GetAndStoreTokens(http), request.Challenge, user?.Email),
            redirectTargets: [RequestParameter(request.RequestUrl, "post_logout_redirect_uri"), project.Project.OAuth2.Urls.PostLogoutRedirect]);
    }

    static async Task<IResult> Logout(HttpContext http, IAntiforgery antiforgery, FlowService flows, CancellationToken ct)
    {
        if (await FormAsync(http, antiforgery) is not { } form) return HostedPages.ErrorPage(HostedErrors.FormExpired);
        var challenge = form["logout_challenge"].ToString();
        if (form["action"] == "logout") return Follow(await flows.AcceptLogoutAsync(challenge, ct));
        return await flows.RejectLogoutAsync(challenge, ct) is { } refused
            ? StepRefused(refused)
            : HostedPages.Message("Still signed in", "You stayed signed in. You can close this page.");
    }

    // ---- the flow's answers, as pages ----

    /// <summary>Sends the browser where the flow says, as a login app does with <c>redirect_to</c>.</summary>
    static IResult Follow(FlowResult<string> result) => result.Failed(out var refused, out var to) ? StepRefused(refused) : Results.Redirect(to);

    /// <summary>A request that cannot be shown: handled already, or unknown (expired, never issued, mistyped).</summary>
    static IResult RequestRefused(FlowFailure refused) =>
        HostedPages.ErrorPage(refused.Outcome == FlowOutcome.AlreadyHandled ? HostedErrors.AlreadyHandled : HostedErrors.UnknownRequest);

    /// <summary>A step that was not taken: one that lost a race to another tab is as handled as one taken before.</summary>
    static IResult StepRefused(FlowFailure refused) =>
        HostedPages.ErrorPage(refused.Outcome is FlowOutcome.AlreadyHandled or FlowOutcome.Conflict ? HostedErrors.AlreadyHandled : HostedErrors.UnknownRequest);

    /// <summary>The posted form, or null unless it carries a valid antiforgery token.</summary>
    internal static async Task<IFormCollection?> FormAsync(HttpContext http, IAntiforgery antiforgery)
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

    /// <summary>Where a login may end: the consent app (when external), then the client's redirect URI.</summary>
    static string?[] LoginTargets(LoginRequestJson request, IProjectContext project) =>
        [project.Project.OAuth2.Urls.Consent, RequestParameter(request.RequestUrl, "redirect_uri")];

    static string? RequestParameter(string requestUrl, string name) =>
        Uri.TryCreate(requestUrl, UriKind.Absolute, out var uri) && QueryHelpers.ParseQuery(uri.Query).TryGetValue(name, out var value) ? value.ToString() : null;

    static string NameOf(ClientJson client) => string.IsNullOrWhiteSpace(client.ClientName) ? client.ClientId ?? "" : client.ClientName;
}
