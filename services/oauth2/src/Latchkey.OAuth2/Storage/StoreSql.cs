using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Marten;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Latchkey.OAuth2.Storage;

/// <summary>What the token and authorization stores share: set-based SQL over a project's rows, and properties as JSON.</summary>
public static class StoreSql
{
    const int PruneBatch = 5_000;

    public static async Task<long> ScalarAsync(IQuerySession session, string sql, CancellationToken ct, params object[] parameters) =>
        (await session.AdvancedSql.QueryAsync<long>(sql, ct, parameters)).Single();

    /// <summary>
    /// One UPDATE over the project's matching rows that are not yet revoked. It gives each a new version, so
    /// an update that read a row before it was revoked fails its version check instead of undoing the revocation.
    /// The field names are the snake_case JSON names Marten stores (see <see cref="OAuth2Schema"/>).
    /// </summary>
    public static Task<long> RevokeWhereAsync<T>(IDocumentSession session, IReadOnlyList<(string Field, string Value)> filters, CancellationToken ct)
    {
        var where = new StringBuilder("tenant_id = ? and coalesce(data ->> 'status', '') <> ?");
        List<object> parameters = [Statuses.Revoked, Guid.NewGuid(), session.TenantId, Statuses.Revoked];
        foreach (var (field, value) in filters)
        {
            where.Append(" and data ->> '").Append(field).Append("' = ?");
            parameters.Add(value);
        }
        var sql = $$"""
            with revoked as (
                update {{OAuth2Schema.TableOf<T>(session.DocumentStore)}}
                set data = jsonb_set(data, '{status}', to_jsonb(?::text)), mt_version = ?, mt_last_modified = transaction_timestamp()
                where {{where}}
                returning 1)
            select count(*) from revoked
            """;
        return ScalarAsync(session, sql, ct, [.. parameters]);
    }

    /// <summary>The one filter of OpenIddict's <c>RevokeBy…Async(identifier)</c>, which must be given.</summary>
    public static IReadOnlyList<(string Field, string Value)> Only(
        string field, string value, [CallerArgumentExpression(nameof(value))] string? parameter = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(value, parameter);
        return [(field, value)];
    }

    /// <summary>The filters of OpenIddict's <c>RevokeAsync(subject, client, status, type)</c>: only those given.</summary>
    public static IReadOnlyList<(string Field, string Value)> RevokeFilters(string? subject, string? client, string? status, string? type)
    {
        var filters = new List<(string Field, string Value)>();
        if (!string.IsNullOrEmpty(subject)) filters.Add(("subject", subject));
        if (!string.IsNullOrEmpty(client)) filters.Add(("application_id", client));
        if (!string.IsNullOrEmpty(status)) filters.Add(("status", status));
        if (!string.IsNullOrEmpty(type)) filters.Add(("type", type));
        return filters;
    }

    /// <summary>
    /// Deletes, <see cref="PruneBatch"/> rows a statement until a batch comes back short (so no single statement
    /// holds locks on a huge set), the project's rows of <typeparamref name="T"/> created before
    /// <paramref name="threshold"/> for which <paramref name="stale"/> holds, a condition over the row as
    /// <c>d</c>. Returns how many were deleted.
    /// </summary>
    public static async Task<long> PruneAsync<T>(IQuerySession session, string stale, DateTimeOffset threshold, CancellationToken ct)
    {
        var table = OAuth2Schema.TableOf<T>(session.DocumentStore);
        var sql = $$"""
            with pruned as (
                delete from {{table}} where tenant_id = ? and id in (
                    select d.id from {{table}} d
                    where d.tenant_id = ?
                      and (d.data ->> 'creation_date')::timestamptz < ?
                      and ({{stale}})
                    limit {{PruneBatch}})
                returning 1)
            select count(*) from pruned
            """;
        var total = 0L;
        while (true)
        {
            var deleted = await ScalarAsync(session, sql, ct, session.TenantId, session.TenantId, threshold.ToUniversalTime());
            total += deleted;
            if (deleted < PruneBatch) return total;
        }
    }

    /// <summary>Properties are stored as one JSON object string, as OpenIddict's Entity Framework Core stores do.</summary>
    public static ImmutableDictionary<string, JsonElement> ParseProperties(string? json)
    {
        if (string.IsNullOrEmpty(json)) return ImmutableDictionary<string, JsonElement>.Empty;
        using var document = JsonDocument.Parse(json);
        var properties = ImmutableDictionary.CreateBuilder<string, JsonElement>();
        foreach (var property in document.RootElement.EnumerateObject()) properties[property.Name] = property.Value.Clone();
        return properties.ToImmutable();
    }

    public static string? SerializeProperties(ImmutableDictionary<string, JsonElement> properties)
    {
        if (properties is not { Count: > 0 }) return null;
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in properties)
            {
                writer.WritePropertyName(name);
                value.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
