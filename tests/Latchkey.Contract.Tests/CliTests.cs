using System.Text.Json.Nodes;
using Latchkey.Testing;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>The README's quickstart, run with the <c>latchkey</c> CLI against the real gateway.</summary>
[Collection(PlatformCollection.Name)]
public sealed class CliTests(PlatformFixture platform)
{
    async Task<(int Exit, string Out, string Err)> RunAsync(Dictionary<string, string?> env, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await Cli.Cli.RunAsync(args, stdout, stderr, env);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    Dictionary<string, string?> Env() => new()
    {
        ["LATCHKEY_PUBLIC_URL"] = platform.PublicUrl.ToString(),
        ["LATCHKEY_WORKSPACE_KEY"] = platform.WorkspaceKey,
    };

    [Fact]
    public async Task CreateClient_LogoutFlags_AreStoredAsHydrasLogoutFields()
    {
        var env = Env();
        var project = await RunAsync(env, "create", "project", "--name", "cli logout", "--format", "json");
        Assert.True(project.Exit == 0, project.Err);
        env["LATCHKEY_PROJECT"] = JsonNode.Parse(project.Out)!["slug"]!.GetValue<string>();

        var client = await RunAsync(env, "create", "client", "--redirect-uri", "https://app.example.com/cb",
            "--backchannel-logout-callback", "https://api.example.com/backchannel", "--backchannel-logout-session-required",
            "--frontchannel-logout-callback", "https://app.example.com/frontchannel", "--frontchannel-logout-session-required", "--format", "json");
        Assert.True(client.Exit == 0, client.Err);
        var json = JsonNode.Parse(client.Out)!;
        Assert.Equal("https://api.example.com/backchannel", json["backchannel_logout_uri"]!.GetValue<string>());
        Assert.True(json["backchannel_logout_session_required"]!.GetValue<bool>());
        Assert.Equal("https://app.example.com/frontchannel", json["frontchannel_logout_uri"]!.GetValue<string>());
        Assert.True(json["frontchannel_logout_session_required"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Quickstart_ClientCredentialsWalkthrough_Works()
    {
        var env = Env();
        var project = await RunAsync(env, "create", "project", "--name", "cli quickstart", "--format", "json");
        Assert.True(project.Exit == 0, project.Err);
        var slug = JsonNode.Parse(project.Out)!["slug"]!.GetValue<string>();
        env["LATCHKEY_PROJECT"] = slug;

        var client = await RunAsync(env, "create", "oauth2-client", "--grant-type", "client_credentials", "--scope", "read", "--scope", "write", "--format", "json");
        Assert.True(client.Exit == 0, client.Err);
        var json = JsonNode.Parse(client.Out)!;
        var (id, secret) = (json["client_id"]!.GetValue<string>(), json["client_secret"]!.GetValue<string>());
        Assert.Equal("read write", json["scope"]!.GetValue<string>());

        var token = await RunAsync(env, "perform", "client-credentials", "--client-id", id, "--client-secret", secret, "--scope", "read", "-q");
        Assert.True(token.Exit == 0, token.Err);
        var accessToken = token.Out.Trim();
        Assert.StartsWith("lk_at_", accessToken);

        var active = await RunAsync(env, "introspect", "token", accessToken, "--format", "json");
        Assert.True(active.Exit == 0, active.Err);
        Assert.True(JsonNode.Parse(active.Out)!["active"]!.GetValue<bool>());

        var table = await RunAsync(env, "introspect", "token", accessToken);
        Assert.Contains("ACTIVE", table.Out);
        Assert.Contains(id, table.Out);

        var revoke = await RunAsync(env, "revoke", "token", accessToken, "--client-id", id, "--client-secret", secret);
        Assert.True(revoke.Exit == 0, revoke.Err);

        var inactive = await RunAsync(env, "introspect", "token", accessToken, "--format", "json");
        Assert.False(JsonNode.Parse(inactive.Out)!["active"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ProjectCommands_CreateListPatchDelete_RoundTrip()
    {
        var env = Env();
        var created = JsonNode.Parse((await RunAsync(env, "create", "project", "--name", "cli-crud", "--format", "json")).Out)!;
        var id = created["id"]!.GetValue<string>();

        var list = await RunAsync(env, "list", "projects");
        Assert.Contains(id, list.Out);

        var patched = await RunAsync(env, "patch", "project", id, "--replace", "/services/oauth2/config/ttl/access_token=\"15m\"", "--format", "json");
        Assert.True(patched.Exit == 0, patched.Err);
        Assert.Contains("15m", patched.Out);

        var key = await RunAsync(env, "create", "project-api-key", id, "--name", "ci", "-q");
        Assert.StartsWith("lk_pat_", key.Out.Trim());

        Assert.Equal(0, (await RunAsync(env, "delete", "project", id)).Exit);
        var gone = await RunAsync(env, "get", "project", id);
        Assert.Equal(1, gone.Exit);
        Assert.StartsWith("Error: ", gone.Err);
    }

    [Fact]
    public async Task WrongWorkspaceKey_PrintsOneErrorLineAndFails()
    {
        var env = Env();
        env["LATCHKEY_WORKSPACE_KEY"] = "lk_wak_wrong";

        var (exit, _, err) = await RunAsync(env, "list", "projects");

        Assert.Equal(1, exit);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Contains("401", err);
    }
}
