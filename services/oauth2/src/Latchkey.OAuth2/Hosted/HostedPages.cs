using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;

namespace Latchkey.OAuth2.Hosted;

/// <summary>The hosted login, sign-up, consent and error pages: plain HTML forms, no JavaScript.</summary>
public static class HostedPages
{
    static string E(string? value) => HtmlEncoder.Default.Encode(value ?? "");

    /// <summary>The only style of the pages; its hash is in their Content-Security-Policy (<see cref="SecurityHeaders"/>).</summary>
    internal const string Style = """
        *{box-sizing:border-box}
        body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#f4f5f7;color:#1f2328;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
        main{width:100%;max-width:24rem;margin:1rem;padding:2rem;background:#fff;border:1px solid #d8dee4;border-radius:.75rem;box-shadow:0 1px 3px rgba(0,0,0,.06)}
        h1{margin:0 0 1.25rem;font-size:1.4rem}
        label{display:block;margin:.9rem 0 .3rem;font-weight:600}
        input[type=email],input[type=password],input[type=text]{width:100%;padding:.55rem .7rem;border:1px solid #afb8c1;border-radius:.4rem;font:inherit}
        input:focus-visible,button:focus-visible,a:focus-visible{outline:3px solid #0969da;outline-offset:2px}
        .check{display:flex;gap:.5rem;align-items:center;font-weight:400;margin:.5rem 0}
        fieldset{border:1px solid #d8dee4;border-radius:.4rem;margin:1rem 0;padding:.5rem 1rem}
        legend{font-weight:600;padding:0 .3rem}
        .actions{display:flex;gap:.75rem;margin-top:1.5rem}
        button{flex:1;padding:.6rem 1rem;border:1px solid #1f6feb;border-radius:.4rem;background:#1f6feb;color:#fff;font:inherit;font-weight:600;cursor:pointer}
        button.secondary{background:#fff;color:#1f2328;border-color:#afb8c1}
        .error{padding:.6rem .8rem;border-radius:.4rem;background:#ffebe9;border:1px solid #ff8182;color:#82071e}
        .muted{color:#59636e;font-size:.9rem;margin-top:1.25rem}
        a{color:#0969da}
        """;

    static string Layout(string title, string body) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{E(title)}}</title>
        <style>{{Style}}</style>
        </head>
        <body><main>
        {{body}}
        </main></body>
        </html>
        """;

    static string Hidden(string name, string? value) => $"""<input type="hidden" name="{E(name)}" value="{E(value)}">""";

    static string Error(string? message) => message is null ? "" : $"""<p class="error" role="alert">{E(message)}</p>""";

    /// <param name="redirectTargets">Where the flow may send the browser after the page's form is posted (see <see cref="SecurityHeaders.ApplyToHostedPage"/>).</param>
    public static IResult Html(string html, int status = StatusCodes.Status200OK, IEnumerable<string?>? redirectTargets = null) =>
        new Page(Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status), redirectTargets ?? []);

    sealed class Page(IResult content, IEnumerable<string?> redirectTargets) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            SecurityHeaders.ApplyToHostedPage(http.Response, redirectTargets);
            return content.ExecuteAsync(http);
        }
    }

    public static string Login(AntiforgeryTokenSet tokens, string challenge, string? clientName, string? email, string? error) => Layout("Sign in", $"""
        <h1>Sign in</h1>
        {(clientName is null ? "" : $"<p>to continue to <strong>{E(clientName)}</strong></p>")}
        {Error(error)}
        <form method="post" action="/ui/login">
        {Hidden(tokens.FormFieldName, tokens.RequestToken)}
        {Hidden("login_challenge", challenge)}
        <label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="username" required value="{E(email)}">
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required>
        <label class="check" for="remember"><input id="remember" name="remember" type="checkbox" value="true"> Remember me</label>
        <div class="actions"><button type="submit">Sign in</button></div>
        </form>
        <p class="muted">No account yet? <a href="/ui/registration?login_challenge={E(Uri.EscapeDataString(challenge))}">Sign up</a></p>
        """);

    public static string Registration(AntiforgeryTokenSet tokens, string challenge, string? email, string? error) => Layout("Sign up", $"""
        <h1>Create an account</h1>
        {Error(error)}
        <form method="post" action="/ui/registration">
        {Hidden(tokens.FormFieldName, tokens.RequestToken)}
        {Hidden("login_challenge", challenge)}
        <label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="email" required value="{E(email)}">
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="new-password" required minlength="{HostedEndpoints.MinPasswordLength}" aria-describedby="password-hint">
        <p id="password-hint" class="muted">At least {HostedEndpoints.MinPasswordLength} characters.</p>
        <div class="actions"><button type="submit">Sign up</button></div>
        </form>
        <p class="muted">Already have an account? <a href="/ui/login?login_challenge={E(Uri.EscapeDataString(challenge))}">Sign in</a></p>
        """);

    public static string Consent(AntiforgeryTokenSet tokens, string challenge, string clientName, IReadOnlyList<string> scopes, string? email, string? error)
    {
        var items = new StringBuilder();
        for (var i = 0; i < scopes.Count; i++)
            items.Append($"""<label class="check" for="scope-{i}"><input id="scope-{i}" name="grant_scope" type="checkbox" value="{E(scopes[i])}" checked> {E(scopes[i])}</label>""").Append('\n');
        return Layout("Authorize " + clientName, $"""
            <h1>Authorize {E(clientName)}</h1>
            {(email is null ? "" : $"<p>Signed in as <strong>{E(email)}</strong>.</p>")}
            <p><strong>{E(clientName)}</strong> asks for access to your account.</p>
            {Error(error)}
            <form method="post" action="/ui/consent">
            {Hidden(tokens.FormFieldName, tokens.RequestToken)}
            {Hidden("consent_challenge", challenge)}
            {(scopes.Count == 0 ? "<p>No scopes are requested.</p>" : $"<fieldset><legend>Requested permissions</legend>\n{items}</fieldset>")}
            <label class="check" for="remember"><input id="remember" name="remember" type="checkbox" value="true"> Remember my decision</label>
            <div class="actions">
            <button type="submit" name="action" value="allow">Allow</button>
            <button type="submit" name="action" value="deny" class="secondary">Deny</button>
            </div>
            </form>
            """);
    }

    public static string Logout(AntiforgeryTokenSet tokens, string challenge, string? email) => Layout("Sign out", $"""
        <h1>Sign out</h1>
        {(email is null ? "" : $"<p>You are signed in as <strong>{E(email)}</strong>.</p>")}
        <p>Do you want to sign out?</p>
        <form method="post" action="/ui/logout">
        {Hidden(tokens.FormFieldName, tokens.RequestToken)}
        {Hidden("logout_challenge", challenge)}
        <div class="actions">
        <button type="submit" name="action" value="logout">Sign out</button>
        <button type="submit" name="action" value="stay" class="secondary">Stay signed in</button>
        </div>
        </form>
        """);

    /// <summary>RFC 8628's verification page: the code the device shows, typed in (case and dash do not matter).</summary>
    public static string DeviceVerification(AntiforgeryTokenSet tokens, string challenge, string? userCode, string? error) => Layout("Connect a device", $"""
        <h1>Connect a device</h1>
        <p>Enter the code shown on your device.</p>
        {Error(error)}
        <form method="post" action="/ui/device/verify">
        {Hidden(tokens.FormFieldName, tokens.RequestToken)}
        {Hidden("device_challenge", challenge)}
        <label for="user_code">Code</label>
        <input id="user_code" name="user_code" type="text" autocomplete="one-time-code" autocapitalize="characters" spellcheck="false" required maxlength="64" placeholder="XXXX-XXXX" value="{E(userCode)}">
        <div class="actions"><button type="submit">Continue</button></div>
        </form>
        """);

    public static IResult Message(string title, string message) => Html(Layout(title, $"""
        <h1>{E(title)}</h1>
        <p>{E(message)}</p>
        """));

    public static IResult ErrorPage(HostedError error) => Html(Layout(error.Title, $"""
        <h1>{E(error.Title)}</h1>
        <p class="error" role="alert">{E(error.Message)}</p>
        <p class="muted">Go back to the application you came from and start signing in again.</p>
        """), error.Status);
}
