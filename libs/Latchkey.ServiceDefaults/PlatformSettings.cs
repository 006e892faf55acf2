using Microsoft.Extensions.Configuration;

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

    public required string StateDirectory { get; init; }

    /// <summary>
    /// <c>LATCHKEY_AUTO_MIGRATE</c> (default true): start-up applies the schema. False in production, where
    /// <c>migrate</c> applies it beforehand and the services' database user has no DDL rights.
    /// </summary>
    public bool AutoMigrate { get; init; } = true;

    public static PlatformSettings From(IConfiguration config)
    {
        var publicUrl = new Uri(config["LATCHKEY_PUBLIC_URL"] ?? "http://localhost:4430");
        var secrets = (config["LATCHKEY_SECRETS_SYSTEM"] ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new PlatformSettings
        {
            DatabaseUrl = ConnectionStrings.ToNpgsql(config["LATCHKEY_DATABASE_URL"]
                ?? "Host=127.0.0.1;Port=4440;Username=latchkey;Database=latchkey"),
            RedisUrl = string.IsNullOrWhiteSpace(config["LATCHKEY_REDIS_URL"]) ? null : config["LATCHKEY_REDIS_URL"],
            Domain = config["LATCHKEY_DOMAIN"] ?? publicUrl.Host,
            PublicUrl = publicUrl,
            // A development default keeps `dotnet run` working; `make run` always generates a real one.
            SystemSecrets = secrets.Length > 0 ? secrets : ["latchkey-insecure-development-secret"],
            StateDirectory = config["LATCHKEY_STATE_DIR"] ?? ".local",
            AutoMigrate = ParseFlag(config["LATCHKEY_AUTO_MIGRATE"], "LATCHKEY_AUTO_MIGRATE", fallback: true),
        };
    }

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
