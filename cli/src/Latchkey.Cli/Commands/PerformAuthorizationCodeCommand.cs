using System.Buffers.Text;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Latchkey.Cli.Browser;
using Latchkey.Cli.Output;
using Latchkey.Client;

namespace Latchkey.Cli.Commands;

/// <summary>
/// <c>latchkey perform authorization-code --project P --client-id ID [--client-secret S]</c>, as the Ory CLI's: listens on
/// 127.0.0.1:&lt;port&gt; (default 4446), sends the browser to the project's <c>/oauth2/auth</c> with a fresh state, a nonce
/// and PKCE (S256), checks what comes back to the redirect URI, exchanges the code at <c>/oauth2/token</c> and prints the
/// tokens as <c>perform client-credentials</c> does (<c>-q</c>: only the access token). The URL and progress go to stderr,
/// so stdout holds only the result.
/// </summary>
/// <remarks>
/// Without <c>--no-shutdown</c> one callback ends the run: exit 0 with the tokens, or 1 with the reason (a foreign
/// state, the server's <c>error</c>, a failed exchange). With it every callback gets a fresh request and the run
/// goes on until Ctrl+C or <c>--timeout</c>.
/// </remarks>
static partial class PerformAuthorizationCodeCommand
{
    public const int DefaultPort = 4446;
    public const string UrlPrompt = "Open this URL in your browser: ";

    // The default lifetime of a login request (ttl.login_consent_request): after it the flow cannot complete anyway.
    static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(30);

    public static Command Create(CliHost host)
    {
        var project = CliOptions.Project();
        var clientId = CliOptions.ClientId();
        var clientSecret = CliOptions.ClientSecret();
        var port = new Option<int>("--port", "-p")
        {
            Description = "The local port the callback server listens on",
            DefaultValueFactory = _ => DefaultPort,
        };
        // Hydra's default is offline,openid; OpenIddict, like the OIDC spec, knows the refresh-token scope as offline_access.
        var scopes = CliOptions.Repeatable("--scope", "A scope to request; the default asks for a refresh token and an ID token");
        scopes.DefaultValueFactory = _ => ["offline_access", "openid"];
        var audiences = CliOptions.Repeatable("--audience", "An audience to request for the access token");
        var prompts = CliOptions.Repeatable("--prompt", "The OpenID Connect prompt: none, login, consent, select_account");
        var maxAge = new Option<int?>("--max-age") { Description = "The OpenID Connect max_age, in seconds (default: not sent)" };
        var redirect = CliOptions.Text("--redirect", "The redirect URI to send (default http://127.0.0.1:<port>/callback); its path is served");
        var state = CliOptions.Text("--state", "Force this state instead of a random one (insecure; for debugging)");
        var noOpen = new Option<bool>("--no-open") { Description = "Do not try to open a browser; just print the URL" };
        var noShutdown = new Option<bool>("--no-shutdown") { Description = "Keep serving after a callback, with a fresh state each time, until Ctrl+C" };
        var timeout = CliOptions.Text("--timeout",
            "Give up when no callback came for this long, e.g. 90s, 10m, 1h (default 30m, or none with --no-shutdown; 0 waits until Ctrl+C)");

        var command = new Command("authorization-code",
            "Sign in through a browser with the OAuth2 authorization code flow (PKCE), receiving the code on a local callback")
        {
            project, clientId, clientSecret, port, scopes, audiences, prompts, maxAge, redirect, state, noOpen, noShutdown, timeout,
        };
        return command.WithHandler(host, async (ctx, ct) =>
        {
            var id = ctx.Require(ctx.Value(clientId), "--client-id", PerformClientCredentialsCommand.ClientIdVariable);
            var secret = ctx.Value(clientSecret) is { Length: > 0 } given ? given : ctx.Env(PerformClientCredentialsCommand.ClientSecretVariable);
            var listenPort = ctx.Value(port);
            if (listenPort is < 1 or > 65535)
                throw CliException.UsageError("--port must be between 1 and 65535");
            if (ctx.Value(maxAge) is < 0)
                throw CliException.UsageError("--max-age must be 0 or more");
            var redirectUri = RedirectUri(ctx.Value(redirect), listenPort);
            var wait = Timeout(ctx.Value(timeout), ctx.Value(noShutdown));
            var slug = await ctx.ProjectSlugAsync(project, ct);

            var flow = new Flow(ctx, slug, id, secret, new AuthorizationParameters(
                id, redirectUri.AbsoluteUri, ctx.Values(scopes), ctx.Values(audiences), ctx.Values(prompts), ctx.Value(maxAge), ctx.Value(state)));

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            if (wait is { } limit)
                deadline.CancelAfter(limit);
            await using var server = await CallbackServer.StartAsync(listenPort, redirectUri.AbsolutePath, deadline.Token);
            try
            {
                await flow.RunAsync(server, !ctx.Value(noOpen), ctx.Value(noShutdown), deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                throw new CliException($"no callback reached {redirectUri.AbsoluteUri} within {ctx.Value(timeout) ?? "30m"}");
            }
        });
    }

    /// <summary>The authorization requests of one run, each checked against its callback and exchanged for tokens.</summary>
    sealed class Flow(CommandContext ctx, string slug, string clientId, string? clientSecret, AuthorizationParameters parameters)
    {
        public async Task RunAsync(CallbackServer server, bool openBrowser, bool keepServing, CancellationToken ct)
        {
            var endpoint = ctx.Client.Issuer(slug) + "/oauth2/auth";
            while (true)
            {
                var request = AuthorizationRequest.Create(endpoint, parameters);
                server.AuthorizationUrl = request.Url;
                await ctx.Stderr.WriteLineAsync(UrlPrompt + request.Url);
                await ctx.Stderr.WriteLineAsync($"Waiting for the browser to come back to {parameters.RedirectUri} (Ctrl+C to stop)...");
                if (openBrowser)
                    SystemBrowser.TryOpen(request.Url);
                openBrowser = false;

                var callback = await server.NextAsync(ct);
                try
                {
                    var token = await CompleteAsync(request, callback, ct);
                    ctx.Output.Item(token, TokenView.Fields(token, ctx.Clock.GetUtcNow()), token.AccessToken);
                    callback.Answer(CallbackPage.Success);
                }
                catch (Exception ex)
                {
                    callback.Answer(CallbackPage.Failure(ex is CliException ? Sentence(ex.Message) : "The latchkey CLI could not finish the sign-in."));
                    if (!keepServing || ex is not CliException)
                        throw;
                    await ctx.Stderr.WriteLineAsync($"Error: {ex.Message}");
                }
                if (!keepServing)
                    return;
            }
        }

        async Task<OAuth2TokenResponse> CompleteAsync(AuthorizationRequest request, Callback callback, CancellationToken ct)
        {
            // The state first: an answer to someone else's request says nothing about this one, error or not.
            if (!request.IsOwnState(callback["state"]))
                throw new CliException("the callback's state is not the one this run sent (a stale or forged redirect)");
            if (callback["error"] is { Length: > 0 } error)
            {
                var description = Printable(callback["error_description"]);
                throw new CliException($"the authorization server answered {Printable(error)}{(description.Length > 0 ? ": " + description : "")}");
            }
            if (callback["code"] is not { Length: > 0 } code)
                throw new CliException("the callback carries neither a code nor an error");

            OAuth2TokenResponse token;
            try
            {
                token = await ctx.Client.RequestTokenAsync(slug,
                [
                    new("grant_type", "authorization_code"),
                    new("code", code),
                    new("redirect_uri", parameters.RedirectUri),
                    new("code_verifier", request.CodeVerifier),
                ], clientId, clientSecret, clientSecret is null ? ClientAuthMethod.None : ClientAuthMethod.ClientSecretBasic, ct);
            }
            catch (LatchkeyApiException ex)
            {
                throw new CliException($"exchanging the code failed: {ex.Message}");
            }
            if (token.IdToken is { } idToken && NonceOf(idToken) != request.Nonce)
                throw new CliException("the ID token's nonce is not the one this run sent");
            return token;
        }
    }

    static Uri RedirectUri(string? redirect, int port)
    {
        if (string.IsNullOrWhiteSpace(redirect))
            return new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/callback");
        return Uri.TryCreate(redirect, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Fragment.Length == 0
            ? uri
            : throw CliException.UsageError($"--redirect must be an absolute http(s) URL without a fragment, got '{redirect}'");
    }

    static TimeSpan? Timeout(string? text, bool noShutdown)
    {
        if (string.IsNullOrWhiteSpace(text))
            return noShutdown ? null : DefaultTimeout;
        if (text.Trim() == "0")
            return null;
        var match = DurationPattern().Match(text.Trim());
        if (!match.Success)
            throw CliException.UsageError($"--timeout must be a duration such as 90s, 10m or 1h, got '{text}'");
        var amount = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var limit = match.Groups[2].Value switch
        {
            "h" => TimeSpan.FromHours(amount),
            "m" => TimeSpan.FromMinutes(amount),
            _ => TimeSpan.FromSeconds(amount),
        };
        // CancelAfter takes at most about 49 days.
        return limit > TimeSpan.FromDays(30) ? throw CliException.UsageError("--timeout must be at most 720h") : limit;
    }

    [GeneratedRegex("^([0-9]{1,9})(s|m|h)$")]
    private static partial Regex DurationPattern();

    /// <summary>The <c>nonce</c> of an ID token, read without verifying it: only to tell a replayed token apart.</summary>
    static string? NonceOf(string idToken)
    {
        var parts = idToken.Split('.');
        if (parts.Length != 3)
            return null;
        try
        {
            using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            return payload.RootElement.ValueKind == JsonValueKind.Object
                && payload.RootElement.TryGetProperty("nonce", out var nonce) && nonce.ValueKind == JsonValueKind.String
                ? nonce.GetString()
                : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Text from the redirect, safe to print: no control characters (terminal escapes), bounded length.</summary>
    static string Printable(string? text)
    {
        var clean = new string((text ?? "").Where(c => !char.IsControl(c)).ToArray()).Trim();
        return clean.Length > 300 ? clean[..300] + "…" : clean;
    }

    static string Sentence(string message) =>
        message.Length == 0 ? message : char.ToUpperInvariant(message[0]) + message[1..] + (message.EndsWith('.') ? "" : ".");
}
