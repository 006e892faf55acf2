using Latchkey.Storage.Usage;
using Latchkey.Testing;
using Npgsql;
using Xunit;

namespace Latchkey.Libs.Tests.Storage;

[Collection(StorageCollection.Name)]
public sealed class UsageStoreTests(StorageFixture fixture)
{
    NpgsqlDataSource Database => fixture.Get<NpgsqlDataSource>();

    [Fact]
    public async Task PruneFlushesAsync_ForgetsOldFlushIdsAndQuotaMonths_KeepsRecentOnes()
    {
        var project = Guid.NewGuid();
        var (oldFlush, newFlush) = ($"old-{project}", $"new-{project}");
        await ExecuteAsync($"""
            insert into {UsageSchema.Flushes} (id, outcome, at) values ('{oldFlush}', 'applied', now() - interval '3 days'), ('{newFlush}', 'applied', now());
            insert into {UsageSchema.QuotaMonths} (project_id, month, reserved) values
                ('{project}', date_trunc('month', now() at time zone 'utc') - interval '3 months', 5),
                ('{project}', date_trunc('month', now() at time zone 'utc') - interval '1 month', 6),
                ('{project}', date_trunc('month', now() at time zone 'utc'), 7);
            """);

        await new UsageStore(Database).PruneFlushesAsync(TimeSpan.FromDays(1), CancellationToken.None);

        Assert.Equal([newFlush], await ListAsync($"select id from {UsageSchema.Flushes} where id in ('{oldFlush}', '{newFlush}')"));
        Assert.Equal(["6", "7"], await ListAsync($"select reserved::text from {UsageSchema.QuotaMonths} where project_id = '{project}' order by month"));
    }

    async Task ExecuteAsync(string sql)
    {
        await using var command = Database.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    async Task<List<string>> ListAsync(string sql)
    {
        await using var command = Database.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync()) values.Add(reader.GetString(0));
        return values;
    }
}
