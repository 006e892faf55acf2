using Npgsql;

namespace Latchkey.Testing;

public static class TestDatabase
{
    /// <summary>Creates an empty database <c>lk_test_&lt;guid&gt;</c> on the server and returns its connection string.</summary>
    public static async Task<string> CreateAsync(string serverConnectionString)
    {
        var name = $"lk_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(serverConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"create database {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name }.ConnectionString;
    }
}
