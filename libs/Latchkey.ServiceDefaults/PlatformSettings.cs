using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Latchkey.ServiceDefaults;

/// <summary>
/// Deployment-wide settings, read from the LATCHKEY_* environment variables (or the same keys in
/// any other configuration source, which is how tests pass them).
/// </summary>
public sealed record PlatformSettings
{
    public required string DatabaseUrl { get; init; }
    public string? RedisUrl { get; init; }
    public required string Domain { get; init; }
    public required Uri PublicUrl { get; init; }

    /// <summary>The first secret encrypts and keys new hashes; every secret decrypts and verifies.</summary>
    public required IReadOnlyList<string> SystemSecrets { get; init; }

    /// <summary>
    /// <c>LATCHKEY_STATE_DIR</c>: where a development control plane writes the bootstrap workspace key it
    /// generates. Nothing else lives on a service's disk, so production needs none.
    /// </summary>
    public required string StateDirectory { get; init; }

    /// <summary>
    /// <c>LATCHKEY_AUTO_MIGRATE</c> (default true): start-up applies the schema. False in production, where
    /// <c>migrate</c> applies it beforehand and the services' database user has no DDL rights.
    /// </summary>
    public bool AutoMigrate { get; init; } = true;

    public const string SystemSecretsSetting = "LATCHKEY_SECRETS_SYSTEM";
    const string DevelopmentSecret = "latchkey-insecure-development-secret";

    /// <summary>
    /// The settings of a running service. Outside the Development environment an empty
    /// <c>LATCHKEY_SECRETS_SYSTEM</c> stops the start: the development default is in this source, so anyone
    /// could decrypt the data-protection key rings under it (and forge cookies) or recompute the keyed hashes.
    /// </summary>
    public static PlatformSettings From(IConfiguration config, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(environment);
        if (SecretsOf(config).Length == 0 && !environment.IsDevelopment())
            throw new InvalidOperationException(
                $"{SystemSecretsSetting} is empty. Set it to a random value of at least 32 characters (comma-separated to rotate: " +
                $"the first one encrypts, every one decrypts); only the Development environment falls back to a built-in one " +
                $"(ASPNETCORE_ENVIRONMENT is '{environment.EnvironmentName}').");
        return From(config);
    }

    /// <summary>The settings without the environment check: tools and tests that hold no secrets of their own.</summary>
    public static PlatformSettings From(IConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var publicUrl = new Uri(config["LATCHKEY_PUBLIC_URL"] ?? "http://localhost:4430");
        var secrets = SecretsOf(config);
        return new PlatformSettings
        {
            DatabaseUrl = ConnectionStrings.ToNpgsql(config["LATCHKEY_DATABASE_URL"]
                ?? "Host=127.0.0.1;Port=4440;Username=latchkey;Database=latchkey"),
            RedisUrl = string.IsNullOrWhiteSpace(config["LATCHKEY_REDIS_URL"]) ? null : config["LATCHKEY_REDIS_URL"],
            Domain = config["LATCHKEY_DOMAIN"] ?? publicUrl.Host,
            PublicUrl = publicUrl,
            // A development default keeps `dotnet run` working; `make run` always generates a real one.
            SystemSecrets = secrets.Length > 0 ? secrets : [DevelopmentSecret],
            StateDirectory = config["LATCHKEY_STATE_DIR"] ?? ".local",
            AutoMigrate = ParseFlag(config["LATCHKEY_AUTO_MIGRATE"], "LATCHKEY_AUTO_MIGRATE", fallback: true),
        };
    }

    static string[] SecretsOf(IConfiguration config) =>
        (config[SystemSecretsSetting] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    static bool ParseFlag(string? value, string name, bool fallback) =>
        string.IsNullOrWhiteSpace(value) ? fallback
        : bool.TryParse(value, out var flag) ? flag
        : throw new InvalidOperationException($"{name} must be true or false, not '{value}'.");

    /// <summary>The issuer of a project: scheme and port of the public URL, host <c>slug.projects.domain</c>.</summary>
    public string IssuerFor(string slug)
    {
        var port = PublicUrl.IsDefaultPort ? "" : $":{PublicUrl.Port}";
        return $"{PublicUrl.Scheme}://{slug}.projects.{Domain}{port}";
    }
}
