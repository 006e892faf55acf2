using System.Globalization;
using JasperFx;
using Latchkey.ServiceDefaults;
using Latchkey.Storage;
using Marten;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Latchkey.OAuth2.Storage;

/// <summary>
/// <c>dotnet Latchkey.OAuth2.dll janitor [flags]</c>, like <c>hydra janitor</c>: one <see cref="Janitor"/> run over
/// the database of <c>LATCHKEY_DATABASE_URL</c> (or <c>--LATCHKEY_DATABASE_URL=…</c>), one line per sweep, then
/// exits: 0 when done, 1 when the database cannot be reached or refuses a statement, 2 for a bad argument.
/// It issues no DDL: the schema must have been migrated.
/// </summary>
public static class JanitorCommand
{
    public const string Command = "janitor";

    public static bool IsCommand(string[] args) => args is [Command, ..];

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var flags = args[1..];
        if (flags.Any(a => a is "--help" or "-h"))
        {
            await output.WriteLineAsync(JanitorOptions.Usage);
            return 0;
        }
        if (JanitorOptions.TryParse(flags, out var options, out var settings) is { } problem)
        {
            await error.WriteLineAsync($"janitor: {problem}");
            await error.WriteLineAsync(JanitorOptions.Usage);
            return 2;
        }

        var config = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine([.. settings]).Build();
        var databaseUrl = PlatformSettings.From(config).DatabaseUrl;
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(databaseUrl);
            using var oauth2 = Store(dataSource, OAuth2Schema.Configure);
            using var platform = Store(dataSource, StorageRegistration.ConfigurePlatformSchema);
            var report = await new Janitor(dataSource, oauth2, platform, TimeProvider.System).RunAsync(options, ct);
            await WriteAsync(report, output);
            return 0;
        }
        catch (NpgsqlException ex)
        {
            var why = ex is PostgresException refused ? refused.MessageText : ex.Message;
            var target = new NpgsqlConnectionStringBuilder(databaseUrl);
            await error.WriteLineAsync($"janitor: database {target.Database} at {target.Host}:{target.Port} as {target.Username}: {why}");
            return 1;
        }
    }

    /// <summary>One line per sweep that found anything (every token, grant, request and session sweep), then the total.</summary>
    public static async Task WriteAsync(JanitorReport report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        foreach (var sweep in report.Sweeps.Where(s => s.Deleted > 0 || s.Target != JanitorTargets.Projects))
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{sweep.Name} ({sweep.Table}): {sweep.Deleted} deleted in {sweep.Batches} batch(es) of at most {sweep.LargestBatch}"));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"janitor: {report.Deleted} row(s) deleted in {report.Elapsed.TotalSeconds:0.0} s; cut-off {report.Cutoff.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}"));
    }

    /// <summary>A store as the service configures it, for its table names; it never changes the schema.</summary>
    static DocumentStore Store(NpgsqlDataSource dataSource, Action<StoreOptions> configure)
    {
        var options = new StoreOptions();
        options.Connection(dataSource);
        configure(options);
        options.AutoCreateSchemaObjects = AutoCreate.None;
        return new DocumentStore(options);
    }
}
