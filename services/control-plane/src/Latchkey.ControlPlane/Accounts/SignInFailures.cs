using Latchkey.Storage;
using Npgsql;

namespace Latchkey.ControlPlane.Accounts;

/// <summary>Console sign-in attempts per email address (known or not) in the current window, for throttling.</summary>
internal sealed class SignInFailures(AttemptCounter attempts)
{
    /// <summary>The table, registered in <see cref="ControlPlaneSchema"/>.</summary>
    public const string Schema = ConsoleTables.Schema, Table = ConsoleTables.SignInFailuresName;

    public static void Register(IServiceCollection services)
    {
        services.AddSingleton(sp => new SignInFailures(new AttemptCounter(sp.GetRequiredService<NpgsqlDataSource>(), Schema, Table)));
    }

    /// <summary>Counts one attempt and answers the attempts of the window, this one included.</summary>
    public Task<int> CountAttemptAsync(string email, DateTimeOffset now, TimeSpan window, CancellationToken ct) =>
        attempts.CountAsync("", email, now, window, ct);

    /// <summary>A successful sign-in starts the count over.</summary>
    public Task ClearAsync(string email, CancellationToken ct) => attempts.ClearAsync("", email, ct);
}
