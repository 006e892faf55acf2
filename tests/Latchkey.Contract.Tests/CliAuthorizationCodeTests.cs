using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using Latchkey.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// <c>latchkey perform authorization-code</c> against the real gateway. The CLI runs in-process and waits on its
/// local callback; the test is the browser: a cookie-keeping client through the project's hosted sign-up and
/// consent pages, then a plain loopback request to the callback URL the server redirected to.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed partial class CliAuthorizationCodeTests(PlatformFixture platform) : IDisposable
{
    const string UrlPrompt = "Open this URL in your browser: ";
    const string Password = "correct horse battery";

    // Only a guard against a hung run failing the whole suite; every run here ends long before.
    readonly CancellationTokenSource _stop = new(TimeSpan.FromMinutes(2));
    readonly HttpClient _loopback = new(new SocketsHttpHandler { AllowAutoRedirect = false });

    public void Dispose()
    {
        _stop.Dispose();
        _loopback.Dispose();
    }

    sealed record Setup(string Slug, string Issuer, string ClientId, string? ClientSecret, int Port)
    {
        public string Callback => $"http://127.0.0.1:{Port}/callback";
    }

    sealed record Run(Task<int> Exit, StringWriter Stdout, CliStderr Stderr);

    Dictionary<string, string?> Env(string? slug = null) => new()
    {
        ["LATCHKEY_PUBLIC_URL"] = platform.PublicUrl.ToString(),
        ["LATCHKEY_WORKSPACE_KEY"] = platform.WorkspaceKey,
        ["LATCHKEY_PROJECT"] = slug,
    };

    static async Task<JsonNode> RunJsonAsync(Dictionary<string, string?> env, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await Cli.Cli.RunAsync([.. args, "--format", "json"], stdout, stderr, env);
        Assert.True(exit == 0, stderr.ToString());
        return JsonNode.Parse(stdout.ToString())!;
    }

    /// <summary>A fresh project (hosted login and consent) and an authorization-code client, both made with the CLI.</summary>
    async Task<Setup> SetupAsync(bool publicClient = false)
    {
        var slug = (await RunJsonAsync(Env(), "create", "project", "--name", "cli auth code"))["slug"]!.GetValue<string>();
        var port = PlatformFixture.FreePort();
        string[] args =
        [
            "create", "oauth2-client", "--name", "cli", "--grant-type", "authorization_code,refresh_token", "--response-type", "code",
            "--scope", "openid,offline_access", "--redirect-uri", $"http://127.0.0.1:{port}/callback",
            .. publicClient ? new[] { "--token-endpoint-auth-method", "none" } : [],
        ];
        var client = await RunJsonAsync(Env(slug), args);
        return new Setup(slug, platform.IssuerOf(slug), client["client_id"]!.GetValue<string>(), client["client_secret"]?.GetValue<string>(), port);
    }

    /// <summary>Starts <c>perform authorization-code</c> for the setup's client; it runs until its callback comes.</summary>
    Run Start(Setup s, params string[] extra)
    {
        var stdout = new StringWriter();
        var stderr = new CliStderr();
        string[] args =
        [
            "perform", "authorization-code", "--no-open", "--port", s.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--client-id", s.ClientId, .. s.ClientSecret is null ? [] : new[] { "--client-secret", s.ClientSecret }, .. extra,
        ];
        var env = new Dictionary<string, string?> { ["LATCHKEY_PUBLIC_URL"] = platform.PublicUrl.ToString(), ["LATCHKEY_PROJECT"] = s.Slug };
        return new Run(Task.Run(() => Cli.Cli.RunAsync(args, stdout, stderr, env, _stop.Token)), stdout, stderr);
    }

    /// <summary>The next authorization URL the run prints; fails if the run ends first.</summary>
    async Task<string> NextUrlAsync(Run run)
    {
        var url = run.Stderr.NextUrlAsync(_stop.Token).AsTask();
        var first = await Task.WhenAny(url, run.Exit);
        Assert.True(first == url, $"the CLI ended without printing a URL: {run.Stderr}");
        return await url;
    }

    [GeneratedRegex("href=\"(/ui/registration[^\"]+)\"")]
    private static partial Regex RegistrationLink();

    static Uri Next(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{response.RequestMessage!.RequestUri} answered {response.StatusCode}");
        return new Uri(response.RequestMessage!.RequestUri!, response.Headers.Location!);
    }

    static async Task<(Uri Page, string Html)> PageAsync(HttpClient browser, Uri page)
    {
        using var response = await browser.GetAsync(page);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (page, await response.Content.ReadAsStringAsync());
    }

    static Task<HttpResponseMessage> SubmitAsync(HttpClient browser, (Uri Page, string Html) form, params (string Name, string Value)[] values) =>
        HtmlForms.SubmitAsync(browser, HtmlForms.Parse(form.Page, form.Html), values);

    /// <summary>
    /// The browser: from the CLI's URL through the hosted sign-up to the consent page, where the user allows or denies.
    /// Returns where the server finally sends the browser, which should be the CLI's callback.
    /// </summary>
    async Task<Uri> SignUpAndDecideAsync(string authorizationUrl, string email, bool allow)
    {
        using var browser = platform.CreateClient();
        using var start = await browser.GetAsync(authorizationUrl);
        var login = await PageAsync(browser, Next(start));
        var link = RegistrationLink().Match(login.Html);
        Assert.True(link.Success, "the login page links to sign-up");
        var registration = await PageAsync(browser, new Uri(login.Page, WebUtility.HtmlDecode(link.Groups[1].Value)));
        using var signedUp = await SubmitAsync(browser, registration, ("email", email), ("password", Password));
        using var back = await browser.GetAsync(Next(signedUp));
        var consent = await PageAsync(browser, Next(back));
        if (!allow)
        {
            // A rejection goes back through the authorization endpoint, which writes the error response.
            using var denied = await SubmitAsync(browser, consent, ("action", "deny"));
            using var error = await browser.GetAsync(Next(denied));
            return Next(error);
        }
        using var allowed = await SubmitAsync(browser, consent, ("grant_scope", "openid"), ("grant_scope", "offline_access"), ("action", "allow"));
        using var done = await browser.GetAsync(Next(allowed));
        return Next(done);
    }

    static string NewEmail() => $"cli-{Guid.NewGuid():N}@example.com";


    async Task<JsonNode> IntrospectAsync(Setup s, string token) =>
        await RunJsonAsync(Env(s.Slug), "introspect", "token", token);

    [Fact]
    public async Task PerformAuthorizationCode_HostedSignUpAndConsent_PrintsTokensOfTheUser()
    {
        var s = await SetupAsync();
        var email = NewEmail();
        var run = Start(s, "--format", "json");

        var url = await NextUrlAsync(run);
        Assert.StartsWith(s.Issuer + "/oauth2/auth?", url);
        Assert.Contains("code_challenge_method=S256", url);
        var callback = await SignUpAndDecideAsync(url, email, allow: true);
        Assert.StartsWith(s.Callback + "?", callback.ToString());
        using var page = await _loopback.GetAsync(callback);

        Assert.True(await run.Exit == 0, run.Stderr.ToString());
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("close this window", await page.Content.ReadAsStringAsync());
        Assert.DoesNotContain(UrlPrompt, run.Stdout.ToString());
        var tokens = JsonNode.Parse(run.Stdout.ToString())!;
        var accessToken = tokens["access_token"]!.GetValue<string>();
        Assert.StartsWith("lk_at_", accessToken);
        Assert.StartsWith("lk_rt_", tokens["refresh_token"]!.GetValue<string>());
        Assert.Contains("offline_access", tokens["scope"]!.GetValue<string>().Split(' '));

        using var http = platform.CreateClient();
        var idToken = await Oidc.ValidIdTokenAsync(http, s.Issuer, s.ClientId, tokens["id_token"]!.GetValue<string>());
        Assert.Equal(email, idToken.GetClaim("email").Value);
        Assert.True(Guid.TryParse(idToken.Subject, out _), "the subject is the hosted user's id: " + idToken.Subject);

        // The access token is the same user's, issued to this client.
        var introspection = await IntrospectAsync(s, accessToken);
        Assert.True(introspection["active"]!.GetValue<bool>());
        Assert.Equal(idToken.Subject, introspection["sub"]!.GetValue<string>());
        Assert.Equal(s.ClientId, introspection["client_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task PerformAuthorizationCode_PublicClientQuiet_PrintsOnlyAnActiveAccessToken()
    {
        var s = await SetupAsync(publicClient: true);
        Assert.Null(s.ClientSecret);
        var run = Start(s, "-q");

        var callback = await SignUpAndDecideAsync(await NextUrlAsync(run), NewEmail(), allow: true);
        using var page = await _loopback.GetAsync(callback);

        Assert.True(await run.Exit == 0, run.Stderr.ToString());
        var accessToken = run.Stdout.ToString().Trim();
        Assert.StartsWith("lk_at_", accessToken);
        Assert.DoesNotContain('\n', accessToken);
        Assert.True((await IntrospectAsync(s, accessToken))["active"]!.GetValue<bool>());
    }

    [Fact]
    public async Task PerformAuthorizationCode_ConsentDenied_FailsWithTheServersError()
    {
        var s = await SetupAsync();
        var run = Start(s, "--format", "json");

        var callback = await SignUpAndDecideAsync(await NextUrlAsync(run), NewEmail(), allow: false);
        Assert.StartsWith(s.Callback + "?error=access_denied", callback.ToString());
        using var page = await _loopback.GetAsync(callback);

        Assert.Equal(1, await run.Exit);
        Assert.Equal("", run.Stdout.ToString());
        var error = Assert.Single(run.Stderr.Lines(), l => l.StartsWith("Error: ", StringComparison.Ordinal));
        Assert.Contains("access_denied", error);
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("access_denied", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PerformAuthorizationCode_CallbackWithAnotherState_FailsWithoutExchanging()
    {
        var s = await SetupAsync();
        var run = Start(s);
        var url = await NextUrlAsync(run);
        Assert.Contains("state=", url);

        using var page = await _loopback.GetAsync($"{s.Callback}?code=lk_ac_forged&state=forged");

        Assert.Equal(1, await run.Exit);
        Assert.Equal("", run.Stdout.ToString());
        var error = Assert.Single(run.Stderr.Lines(), l => l.StartsWith("Error: ", StringComparison.Ordinal));
        Assert.Contains("state", error);
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
    }

    [Fact]
    public async Task PerformAuthorizationCode_NoShutdown_KeepsServingWithAFreshStateUntilCancelled()
    {
        var s = await SetupAsync();
        var run = Start(s, "--no-shutdown");
        var first = await NextUrlAsync(run);

        using var forged = await _loopback.GetAsync($"{s.Callback}?code=lk_ac_forged&state=forged");
        var second = await NextUrlAsync(run);
        await _stop.CancelAsync();

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.NotEqual(StateOf(first), StateOf(second));
        Assert.Equal(130, await run.Exit);
        Assert.Contains("Error: cancelled", run.Stderr.ToString());
    }

    static string? StateOf(string url) => System.Web.HttpUtility.ParseQueryString(new Uri(url).Query)["state"];

    /// <summary>The CLI's stderr: hands out each printed authorization URL as it is written, while the run goes on.</summary>
    sealed class CliStderr : TextWriter
    {
        readonly StringBuilder _text = new();
        readonly Channel<string> _urls = Channel.CreateUnbounded<string>();
        int _scanned;

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => Append(value.ToString());

        public override void Write(string? value) => Append(value);

        public override void Write(char[] buffer, int index, int count) => Append(new string(buffer, index, count));

        void Append(string? value)
        {
            lock (_text)
            {
                _text.Append(value);
                var text = _text.ToString();
                for (var end = text.IndexOf('\n', _scanned); end >= 0; end = text.IndexOf('\n', _scanned))
                {
                    var line = text[_scanned..end].TrimEnd('\r');
                    _scanned = end + 1;
                    if (line.StartsWith(UrlPrompt, StringComparison.Ordinal))
                        _urls.Writer.TryWrite(line[UrlPrompt.Length..]);
                }
            }
        }

        public ValueTask<string> NextUrlAsync(CancellationToken ct) => _urls.Reader.ReadAsync(ct);

        public string[] Lines() => ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        public override string ToString()
        {
            lock (_text)
                return _text.ToString();
        }
    }
}
