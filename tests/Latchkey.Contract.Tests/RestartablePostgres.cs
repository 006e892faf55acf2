using System.Diagnostics;
using Latchkey.Testing;
using Npgsql;
using Testcontainers.PostgreSql;

namespace Latchkey.Contract.Tests;

/// <summary>
/// A PostgreSQL server of the test's own, which it may restart (the shared test server must not be). With
/// <c>LATCHKEY_TEST_POSTGRES</c> set (local servers, no Docker: CI), a private cluster of the local binaries, run by
/// <c>scripts/lib.sh</c> as <c>scripts/test.sh</c> runs the shared one; otherwise a container on a fixed host port, so
/// that its address survives the restart.
/// </summary>
public abstract class RestartablePostgres : IAsyncDisposable
{
    public static RestartablePostgres Create() =>
        string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("LATCHKEY_TEST_POSTGRES")) ? new DockerContainer() : new LocalCluster();

    /// <summary>Starts the server and returns its superuser's connection string.</summary>
    public abstract Task<string> StartAsync();

    /// <summary>Stops the server and starts it again; returns once it accepts connections.</summary>
    public abstract Task RestartAsync();

    public abstract ValueTask DisposeAsync();

    /// <summary>
    /// A cluster in a temporary directory. Restarted with <c>pg_ctl restart -m immediate</c>: every backend is killed
    /// at once, as in a crash, and the server recovers from its WAL on start.
    /// </summary>
    sealed class LocalCluster : RestartablePostgres
    {
        readonly string _dir = Path.Combine(Path.GetTempPath(), "latchkey-pg-" + Guid.NewGuid().ToString("N"));
        readonly int _port = PlatformFixture.FreePort();

        public override async Task<string> StartAsync()
        {
            await LibAsync("""start_postgres "$1" "$2" test""", _dir, _port.ToString());
            var server = $"Host=127.0.0.1;Port={_port};Username=latchkey;Database=postgres";
            // The test mode turns synchronous_commit off, and a crash then loses commits already acknowledged: what is
            // under test is that oauth2 answers 200 only after a commit, so a commit must be durable here.
            await using var connection = new NpgsqlConnection(server);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("alter system set synchronous_commit = on; select pg_reload_conf();", connection);
            await command.ExecuteNonQueryAsync();
            return server;
        }

        public override Task RestartAsync() => LibAsync(
            """lk_pg_run "$(pg_bindir "$(cat "$1/data/PG_VERSION")")/pg_ctl" -D "$1/data" -l "$1/postgres.log" -m immediate -w -t 60 restart >/dev/null""",
            _dir);

        public override async ValueTask DisposeAsync()
        {
            await LibAsync("""stop_postgres "$1" """, _dir);
            if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
        }

        /// <summary>Runs <paramref name="script"/> with scripts/lib.sh sourced; its arguments are $1, $2, ...</summary>
        static async Task LibAsync(string script, params string[] args)
        {
            var root = AppContext.BaseDirectory;
            while (!File.Exists(Path.Combine(root, "Platform.sln")))
                root = Path.GetDirectoryName(root.TrimEnd('/')) ?? throw new InvalidOperationException("Platform.sln not found above the test binaries.");
            var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
            string[] argv = ["-c", $"""source "{root}/scripts/lib.sh" && {script}""", "bash", .. args];
            foreach (var arg in argv) start.ArgumentList.Add(arg);
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token);
            if (process.ExitCode != 0)
                throw new InvalidOperationException(
                    $"The test's private PostgreSQL cluster (scripts/lib.sh, the binaries of /usr/lib/postgresql/*/bin): `{script}` exited with {process.ExitCode}:\n{await output}{await error}");
        }
    }

    /// <summary>A container, restarted with a stop and a start (its data is kept).</summary>
    sealed class DockerContainer : RestartablePostgres
    {
        PostgreSqlContainer? _container;

        public override async Task<string> StartAsync()
        {
            try
            {
                _container = new PostgreSqlBuilder("postgres:17-alpine")
                    .WithPortBinding(PlatformFixture.FreePort(), PostgreSqlBuilder.PostgreSqlPort)
                    .Build();
                await _container.StartAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new InvalidOperationException(
                    "No PostgreSQL the test may restart: without LATCHKEY_TEST_POSTGRES (which selects a private cluster of the local binaries) it is a container, and that failed to start. Is a Docker engine running?", e);
            }
            return _container.GetConnectionString();
        }

        public override async Task RestartAsync()
        {
            await _container!.StopAsync();
            await _container.StartAsync();
        }

        public override async ValueTask DisposeAsync()
        {
            if (_container is not null) await _container.DisposeAsync();
        }
    }
}
