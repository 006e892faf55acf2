using System.CommandLine;
using Latchkey.Cli.Output;
using Latchkey.Client;

namespace Latchkey.Cli.Commands;

/// <summary>
/// <c>latchkey perform device-code --project P --client-id ID [--client-secret S] [--scope …] [--audience …]</c>, as the Ory
/// CLI's: asks <c>/oauth2/device/auth</c> for codes, prints where to go and the code to enter (to stderr, so stdout holds
/// only the result), polls <c>/oauth2/token</c> at the interval the server gave — slower after a <c>slow_down</c>, as
/// RFC 8628 §3.5 says — and prints the tokens as <c>perform client-credentials</c> does (<c>-q</c>: only the access token).
/// </summary>
static class PerformDeviceCodeCommand
{
    public const string DeviceCodeGrant = "urn:ietf:params:oauth:grant-type:device_code";
    public const string Prompt = "To sign in, open ";

    public static Command Create(CliHost host)
    {
        var project = CliOptions.Project();
        var clientId = CliOptions.ClientId();
        var clientSecret = CliOptions.ClientSecret();
        var scopes = CliOptions.Repeatable("--scope", "A scope to request; the default asks for a refresh token and an ID token");
        scopes.DefaultValueFactory = _ => ["offline_access", "openid"];
        var audiences = CliOptions.Repeatable("--audience", "An audience to request for the access token");

        var command = new Command("device-code", "Sign in on another device with the OAuth2 device authorization grant (RFC 8628)")
        {
            project, clientId, clientSecret, scopes, audiences,
        };
        return command.WithHandler(host, async (ctx, ct) =>
        {
            var id = ctx.Require(ctx.Value(clientId), "--client-id", PerformClientCredentialsCommand.ClientIdVariable);
            var secret = ctx.Value(clientSecret) is { Length: > 0 } given ? given : ctx.Env(PerformClientCredentialsCommand.ClientSecretVariable);
            var method = secret is null ? ClientAuthMethod.None : ClientAuthMethod.ClientSecretBasic;
            var slug = await ctx.ProjectSlugAsync(project, ct);

            var device = await ctx.Client.DeviceAuthorizationAsync(slug, id, secret, string.Join(' ', ctx.Values(scopes)), ctx.Values(audiences), method, ct);
            await ctx.Stderr.WriteLineAsync($"{Prompt}{device.VerificationUri} and enter the code {device.UserCode}");
            if (device.VerificationUriComplete is { } complete)
                await ctx.Stderr.WriteLineAsync($"or open {complete}");
            await ctx.Stderr.WriteLineAsync("Waiting for you to sign in (Ctrl+C to stop)...");

            var token = await PollAsync(ctx, slug, id, secret, method, device, ct);
            ctx.Output.Item(token, TokenView.Fields(token, ctx.Clock.GetUtcNow()), token.AccessToken);
        });
    }

    /// <summary>Polls until the user decided or the code expired; the next interval after each answer is <see cref="NextInterval"/>.</summary>
    static async Task<OAuth2TokenResponse> PollAsync(
        CommandContext ctx, string slug, string clientId, string? secret, ClientAuthMethod method, OAuth2DeviceAuthorization device, CancellationToken ct)
    {
        var interval = TimeSpan.FromSeconds(device.Interval is > 0 and <= 600 ? device.Interval.Value : 5);
        var deadline = ctx.Clock.GetUtcNow() + TimeSpan.FromSeconds(Math.Clamp(device.ExpiresIn, 1, 86_400));
        while (true)
        {
            await Task.Delay(interval, ctx.Clock, ct);
            try
            {
                return await ctx.Client.RequestTokenAsync(slug, [new("grant_type", DeviceCodeGrant), new("device_code", device.DeviceCode)], clientId, secret, method, ct);
            }
            catch (LatchkeyApiException ex) when (NextInterval(ex.Error, interval) is { } next)
            {
                interval = next;
                if (ctx.Clock.GetUtcNow() + interval > deadline)
                    throw new CliException("the device code expired before you signed in; run the command again");
            }
            catch (LatchkeyApiException ex)
            {
                throw new CliException(ex.Error switch
                {
                    "access_denied" => "the sign-in was denied",
                    "expired_token" => "the device code expired before you signed in; run the command again",
                    _ => $"polling for the tokens failed: {ex.Message}",
                });
            }
        }
    }

    /// <summary>RFC 8628 §3.5: <c>authorization_pending</c> keeps the interval, <c>slow_down</c> adds 5 s; anything else ends polling (null).</summary>
    public static TimeSpan? NextInterval(string error, TimeSpan interval) => error switch
    {
        "authorization_pending" => interval,
        "slow_down" => interval + TimeSpan.FromSeconds(5),
        _ => null,
    };
}
