using Xunit;

namespace Latchkey.Cli.Tests.Commands;

/// <summary>
/// <c>create jwt-bearer-issuer</c>, <c>update oauth2-client-lifespans</c>, <c>rotate oauth2-client-secret</c> and
/// <c>delete oauth2-client-rotated-secrets</c>: what they refuse before any request (the journeys against the
/// platform are in the contract tests' CliTrustAndLifecycleTests).
/// </summary>
public sealed class TrustAndLifecycleCommandsTests : IDisposable
{
    const string PublicJwk = """{"kty":"EC","crv":"P-256","kid":"k1","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tuvJMXq0bKVCQaW1ZtzBwaKFhyuI"}""";

    readonly string _dir = Directory.CreateTempSubdirectory("latchkey-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static Dictionary<string, string?> Env() => new() { ["LATCHKEY_PROJECT_API_KEY"] = "lk_pat_test", ["LATCHKEY_PROJECT"] = "p" };

    string Write(string json)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, json);
        return path;
    }

    Task<CliRun> CreateIssuerAsync(string jwkPath, string expiresAt = "2099-01-01T00:00:00Z", params string[] more) =>
        CliRun.RunAsync(Env(), ["create", "jwt-bearer-issuer", "--issuer", "https://idp.example", "--subject", "alice",
            "--jwk", jwkPath, "--expires-at", expiresAt, .. more]);

    [Fact]
    public async Task CreateIssuer_GoodFlags_GoAsFarAsTheRequest()
    {
        var run = await CreateIssuerAsync(Write(PublicJwk), "2099-01-01T00:00:00.5+02:00", "--scope", "read,write");

        Assert.Equal(CliException.Failure, run.Exit);
        Assert.StartsWith("Error: cannot reach Latchkey at", run.Error);
    }

    [Fact]
    public async Task CreateIssuer_JwkSetOfOneKey_IsTakenAsItsKey()
    {
        var run = await CreateIssuerAsync(Write($$"""{"keys":[{{PublicJwk}}]}"""));

        Assert.StartsWith("Error: cannot reach Latchkey at", run.Error);
    }

    [Theory]
    [InlineData("{", "is not JSON")]
    [InlineData("[1]", "is not a JSON object")]
    [InlineData("""{"keys":[]}""", "holds 0 keys; give a file with one")]
    [InlineData("""{"kid":"k1","crv":"P-256"}""", "is not a JWK: it has no kty")]
    [InlineData("""{"kty":"EC","crv":"P-256","x":"a","y":"b"}""", "has no kid")]
    [InlineData("""{"kty":"EC","kid":"k1","crv":"P-256","x":"a","y":"b","d":"secret"}""", "holds a private key ('d'); give only the public part")]
    [InlineData("""{"kty":"oct","kid":"k1","k":"c2VjcmV0"}""", "holds a private key ('k')")]
    public async Task CreateIssuer_BadJwk_IsAUsageErrorSayingWhy(string json, string error)
    {
        var path = Write(json);

        var run = await CreateIssuerAsync(path);

        Assert.Equal(CliException.Usage, run.Exit);
        Assert.StartsWith($"Error: --jwk '{path}' ", run.Error);
        Assert.Contains(error, run.Error);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task CreateIssuer_JwkFileMissing_IsAUsageError()
    {
        var run = await CreateIssuerAsync(Path.Combine(_dir, "absent.json"));

        Assert.Equal(CliException.Usage, run.Exit);
        Assert.StartsWith("Error: --jwk: cannot read ", run.Error);
    }

    [Theory]
    [InlineData("tomorrow")]
    [InlineData("2099-01-01")]
    [InlineData("2099-01-01T00:00:00")]
    [InlineData("2099-13-01T00:00:00Z")]
    [InlineData("01/01/2099 00:00:00 +00:00")]
    public async Task CreateIssuer_ExpiresAtNotRfc3339_IsAUsageError(string expiresAt)
    {
        var run = await CreateIssuerAsync(Write(PublicJwk), expiresAt);

        Assert.Equal(CliException.Usage, run.Exit);
        Assert.Equal($"Error: --expires-at must be an RFC 3339 date-time such as 2030-01-01T00:00:00Z, got '{expiresAt}'", run.Error);
    }

    [Fact]
    public async Task CreateIssuer_ExpiresAtInThePast_IsAUsageError()
    {
        var run = await CreateIssuerAsync(Write(PublicJwk), "2000-01-01T00:00:00Z");

        Assert.Equal(CliException.Usage, run.Exit);
        Assert.Equal("Error: --expires-at must be in the future, got '2000-01-01T00:00:00Z'", run.Error);
    }

    [Fact]
    public async Task CreateIssuer_SubjectAndAnySubject_IsAUsageError()
    {
        var run = await CreateIssuerAsync(Write(PublicJwk), "2099-01-01T00:00:00Z", "--allow-any-subject");

        Assert.Equal(CliException.Usage, run.Exit);
        Assert.Equal("Error: give --subject or --allow-any-subject, not both", run.Error);
    }

    [Theory]
    [InlineData("--issuer", "Error: --issuer is required")]
    [InlineData("--subject", "Error: --subject or --allow-any-subject is required")]
    [InlineData("--jwk", "Error: --jwk is required")]
    [InlineData("--expires-at", "Error: --expires-at is required")]
    public async Task CreateIssuer_MissingFlag_IsAUsageErrorNamingIt(string left, string error)
    {
        var flags = new Dictionary<string, string>
        {
            ["--issuer"] = "https://idp.example",
            ["--subject"] = "alice",
            ["--jwk"] = Write(PublicJwk),
            ["--expires-at"] = "2099-01-01T00:00:00Z",
        };
        flags.Remove(left);

        var run = await CliRun.RunAsync(Env(), ["create", "jwt-bearer-issuer", .. flags.SelectMany(f => new[] { f.Key, f.Value })]);

        Assert.Equal(CliException.Usage, run.Exit);
        Assert.Equal(error, run.Error);
    }

    [Theory]
    [InlineData("1h")]
    [InlineData("1h30m")]
    [InlineData("1.5h")]
    [InlineData("500ms")]
    public async Task UpdateLifespans_GoDurations_GoAsFarAsTheRequest(string duration)
    {
        var run = await CliRun.RunAsync(Env(), "update", "oauth2-client-lifespans", "c",
            "--client-credentials-grant-access-token-lifespan", duration, "--refresh-token-grant-refresh-token-lifespan", "720h");

        Assert.Equal(CliException.Failure, run.Exit);
        Assert.StartsWith("Error: cannot reach Latchkey at", run.Error);
    }

    [Theory]
    [InlineData("1 hour")]
    [InlineData("60")]
    [InlineData("1d")]
    [InlineData("-1h")]
    [InlineData("h")]
    public async Task UpdateLifespans_NotAGoDuration_IsAUsageErrorNamingTheFlag(string duration)
    {
        var run = await CliRun.RunAsync(Env(), "update", "oauth2-client-lifespans", "c", "--jwt-bearer-grant-access-token-lifespan", duration);

        Assert.Equal(CliException.Usage, run.Exit);
        Assert.Equal($"Error: --jwt-bearer-grant-access-token-lifespan must be a duration such as 30m, 1h or 1h30m (units ns, us, ms, s, m, h), got '{duration}'", run.Error);
    }

    [Theory]
    [InlineData("get", "jwt-bearer-issuer")]
    [InlineData("delete", "jwt-bearer-issuer")]
    [InlineData("update", "oauth2-client-lifespans")]
    [InlineData("rotate", "oauth2-client-secret")]
    [InlineData("delete", "oauth2-client-rotated-secrets")]
    public async Task Commands_MissingArgument_AreUsageErrors(string verb, string noun)
    {
        var run = await CliRun.RunAsync(Env(), verb, noun);

        Assert.Equal(CliException.Usage, run.Exit);
        Assert.Contains($"Run 'latchkey {verb} {noun} --help' for usage.", run.Err);
    }

    [Theory]
    [InlineData("list", "jwt-bearer-issuers")]
    [InlineData("get", "jwt-bearer-issuer", "id")]
    [InlineData("delete", "jwt-bearer-issuer", "id")]
    [InlineData("rotate", "oauth2-client-secret", "c")]
    [InlineData("delete", "oauth2-client-rotated-secrets", "c")]
    public async Task Commands_WithoutAnyKey_FailNamingBothVariables(params string[] args)
    {
        var run = await CliRun.RunAsync(new Dictionary<string, string?> { ["LATCHKEY_PROJECT"] = "p" }, args);

        Assert.Equal(CliException.Failure, run.Exit);
        Assert.Equal("Error: neither LATCHKEY_PROJECT_API_KEY nor LATCHKEY_WORKSPACE_KEY is set", run.Error);
    }
}
