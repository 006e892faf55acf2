using System.Net;
using System.Text.RegularExpressions;
using Latchkey.Testing;
using Xunit;

namespace Latchkey.Console.Tests;

/// <summary>
/// A second console process with no disk in common with the first, as another pod or the pod a rollout
/// replaces it with: the key ring is in PostgreSQL, so what one console protected the other reads.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class ConsoleReplicaTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task SignOut_FormOfAnotherConsoleReplica_IsAccepted()
    {
        // Before: each console kept its key ring under its own $LATCHKEY_STATE_DIR; the antiforgery token
        // (and the auth cookie) of one was refused by the other, so every rollout signed users out.
        var port = PlatformFixture.FreePort();
        await using var replica = ConsoleApp.Build([
            $"--LATCHKEY_PUBLIC_URL={fixture.Platform.PublicUrl}",
            "--LATCHKEY_DOMAIN=localhost",
            $"--LATCHKEY_DATABASE_URL={fixture.Platform.DatabaseUrl}",
            "--LATCHKEY_SECRETS_SYSTEM=test-system-secret-0123456789abcdef",
            $"--LATCHKEY_STATE_DIR={Path.Combine(Path.GetTempPath(), "latchkey-console-replica-" + Guid.NewGuid().ToString("N"))}",
            "--Logging:LogLevel:Default=Warning",
            $"--urls=http://127.0.0.1:{port}",
        ]);
        await replica.StartAsync();
        try
        {
            using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false });
            using var form = await http.GetAsync(new Uri(fixture.Platform.ConsoleServiceUrl, "/sign-in"));
            var antiforgery = Assert.Single(form.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
            var token = TokenInput().Match(await form.Content.ReadAsStringAsync()).Groups[1].Value;

            using var signOut = new HttpRequestMessage(HttpMethod.Post, new Uri($"http://127.0.0.1:{port}/sign-out"))
            {
                Content = new FormUrlEncodedContent([new("__RequestVerificationToken", token)]),
            };
            signOut.Headers.Add("Cookie", antiforgery.Split(';')[0]);
            using var signedOut = await http.SendAsync(signOut);

            Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        }
        finally
        {
            await replica.StopAsync();
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenInput();
}
