using System.Runtime.CompilerServices;
using Latchkey.OAuth2.Clients;
using Latchkey.OAuth2.Server;
using Latchkey.OAuth2.Usage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Server;
using Xunit;

namespace Latchkey.OAuth2.Tests.Server;

/// <summary>
/// Pins the resolved OpenIddict handler order, built-ins and ours, per event, so a change to the pipeline
/// (ours, or OpenIddict's after an upgrade) is a reviewed diff of <c>pipeline.snapshot.txt</c>.
/// Regenerate with <c>LATCHKEY_UPDATE_SNAPSHOTS=1 dotnet test --filter PipelineSnapshot</c>.
/// </summary>
public sealed class PipelineSnapshotTests
{
    [Fact]
    public async Task Handlers_AsConfigured_MatchSnapshot()
    {
        var actual = PipelineSnapshot.Render(await HandlersAsync());
        var path = SnapshotPath();
        if (Environment.GetEnvironmentVariable("LATCHKEY_UPDATE_SNAPSHOTS") == "1")
            await File.WriteAllTextAsync(path, actual);

        var expected = File.Exists(path) ? await File.ReadAllTextAsync(path) : "";
        Assert.True(expected == actual,
            $"The OpenIddict pipeline changed. Review the diff, then regenerate {path} with LATCHKEY_UPDATE_SNAPSHOTS=1.\n"
            + PipelineSnapshot.Diff(expected, actual));
    }

    /// <summary>The sign-in ends with the response ApplyTokenResponse writes; what CountIssuedToken reads must be remembered before.</summary>
    [Fact]
    public async Task RememberTokenOwner_RunsBeforeTheTokenResponseIsWritten()
    {
        var handlers = await HandlersAsync();

        Assert.True(OrderOf(handlers, typeof(UsageHandlers.RememberTokenOwner))
            < OrderOf(handlers, typeof(OpenIddictServerHandlers.Exchange.ApplyTokenResponse<OpenIddictServerEvents.ProcessSignInContext>)));
    }

    /// <summary>GrantTypeCheck may check a secret, so the throttle refuses first; both before the grant's parameters.</summary>
    [Fact]
    public async Task ClientAuthThrottle_RunsBeforeGrantTypeCheck_BeforeGrantParameters()
    {
        var handlers = (await HandlersAsync()).Where(h => h.ContextType == typeof(OpenIddictServerEvents.ValidateTokenRequestContext)).ToList();

        var throttle = OrderOf(handlers, typeof(ClientAuthThrottleHandler));
        var grantCheck = OrderOf(handlers, typeof(GrantTypeCheck));
        Assert.True(throttle < grantCheck);
        Assert.True(grantCheck < OrderOf(handlers, typeof(OpenIddictServerHandlers.Exchange.ValidateAuthorizationCodeParameter)));
        Assert.True(grantCheck < OrderOf(handlers, typeof(OpenIddictServerHandlers.Exchange.ValidateRefreshTokenParameter)));
    }

    static int OrderOf(IEnumerable<OpenIddictServerHandlerDescriptor> handlers, Type handler) =>
        handlers.Single(h => h.ServiceDescriptor.ServiceType == handler).Order;

    /// <summary>The handlers as the service configures them: outside a request, the template, which carries every project's handlers too.</summary>
    static async Task<IReadOnlyList<OpenIddictServerHandlerDescriptor>> HandlersAsync()
    {
        await using var app = OAuth2App.Build(
        [
            "--LATCHKEY_DATABASE_URL=Host=127.0.0.1;Database=never_opened",
            "--LATCHKEY_SECRETS_SYSTEM=snapshot-secret-0123456789abcdef",
            $"--LATCHKEY_STATE_DIR={Path.GetTempPath()}",
        ]);
        return [.. app.Services.GetRequiredService<ProjectServerOptions>().CurrentValue.Handlers];
    }

    static string SnapshotPath([CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(source)!, "pipeline.snapshot.txt");
}
