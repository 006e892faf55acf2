using Latchkey.OAuth2.Storage;
using Latchkey.OAuth2.Trust;
using Latchkey.Tenancy;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Latchkey.OAuth2.Tests.Isolation;

/// <summary>
/// Everything a project has in the oauth2 schema, read straight from the tables (every document table
/// Marten maps, and the hosted sign-in attempts): two snapshots are equal exactly when nothing of the
/// project was added, changed or deleted in between, whichever store did it.
/// </summary>
public static class ProjectData
{
    public static async Task<string> SnapshotAsync(IServiceProvider services, ProjectInfo project)
    {
        var store = services.GetRequiredService<IOAuth2Store>();
        var database = services.GetRequiredService<NpgsqlDataSource>();
        var tables = store.Options.AllKnownDocumentTypes().Select(t => t.TableName.QualifiedName).Order(StringComparer.Ordinal);
        var rows = new List<string>();
        foreach (var table in tables)
            rows.AddRange(await RowsAsync(database, $"select id::text || ' ' || mt_version::text || ' ' || data::text from {table} where tenant_id = $1 order by id", project.TenantId, table));
        rows.AddRange(await RowsAsync(database, $"select signature || ' ' || expires_at::text from {OAuth2Schema.Name}.{AssertionJtis.Table} where tenant_id = $1 order by signature", project.TenantId, AssertionJtis.Table));
        rows.AddRange(await RowsAsync(database, $"select key || ' ' || attempts from {OAuth2Schema.Name}.{OAuth2Schema.HostedLoginFailures} where scope = $1 order by key", project.TenantId, OAuth2Schema.HostedLoginFailures));
        rows.AddRange(await RowsAsync(database, $"select key || ' ' || attempts from {OAuth2Schema.Name}.{OAuth2Schema.DeviceUserCodeAttempts} where scope = $1 order by key", project.TenantId, OAuth2Schema.DeviceUserCodeAttempts));
        return string.Join('\n', rows);
    }

    static async Task<List<string>> RowsAsync(NpgsqlDataSource database, string sql, string tenant, string table)
    {
        await using var command = database.CreateCommand(sql);
        command.Parameters.AddWithValue(tenant);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync()) rows.Add($"{table}: {reader.GetString(0)}");
        return rows;
    }
}
