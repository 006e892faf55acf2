using Microsoft.Extensions.DependencyInjection;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Latchkey.Storage.Usage;

/// <summary>
/// Usage lives in plain tables next to the platform's documents (schema <c>latchkey</c>, not tenanted):
/// rows are incremented with <c>insert … on conflict do update</c>, which a document cannot do atomically.
/// Marten creates and migrates them with everything else at start-up.
/// </summary>
public static class UsageSchema
{
    public const string Schema = "latchkey";
    public const string Days = Schema + ".usage_days";
    public const string Flushes = Schema + ".usage_flushes";
    public const string Meta = Schema + ".usage_meta";
    public const string QuotaMonths = Schema + ".quota_months";

    /// <summary><see cref="UsageStore"/> and <see cref="UsageSettings"/>; the tables are in <see cref="StorageRegistration.ConfigurePlatformSchema"/>.</summary>
    public static IServiceCollection AddUsageStorage(this IServiceCollection services)
    {
        services.AddSingleton(sp => UsageSettings.From(sp.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()));
        services.AddSingleton<UsageStore>();
        return services;
    }

    internal static IEnumerable<Table> Tables()
    {
        // One row per project, UTC day and metric (tokens:<grant>, admin_calls, active_clients, distinct_subjects).
        var days = new Table(new PostgresqlObjectName(Schema, "usage_days", SchemaUtils.IdentifierUsage.General));
        days.AddColumn<Guid>("project_id").AsPrimaryKey();
        days.AddColumn("day", "date").AsPrimaryKey();
        days.AddColumn<string>("metric").AsPrimaryKey();
        days.AddColumn<Guid>("workspace_id").NotNull();
        days.AddColumn<long>("value").NotNull();
        days.AddColumn("updated_at", "timestamp with time zone").NotNull().DefaultValueByExpression("now()");
        days.Indexes.Add(new IndexDefinition("ix_usage_days_workspace_day") { Columns = ["workspace_id", "day"] });
        yield return days;

        // Every flush from Redis commits its id here, in the same transaction as its counts: a flush that a
        // crashed replica left half done is then either known applied or claimed for restoring, never both.
        var flushes = new Table(new PostgresqlObjectName(Schema, "usage_flushes", SchemaUtils.IdentifierUsage.General));
        flushes.AddColumn<string>("id").AsPrimaryKey();
        flushes.AddColumn<string>("outcome").NotNull();
        flushes.AddColumn("at", "timestamp with time zone").NotNull().DefaultValueByExpression("now()");
        yield return flushes;

        var meta = new Table(new PostgresqlObjectName(Schema, "usage_meta", SchemaUtils.IdentifierUsage.General));
        meta.AddColumn<string>("key").AsPrimaryKey();
        meta.AddColumn<string>("value").NotNull();
        yield return meta;

        // Tokens of a project's monthly quota handed out to replicas so far (see UsageStore.LeaseQuotaAsync).
        var quota = new Table(new PostgresqlObjectName(Schema, "quota_months", SchemaUtils.IdentifierUsage.General));
        quota.AddColumn<Guid>("project_id").AsPrimaryKey();
        quota.AddColumn("month", "date").AsPrimaryKey();
        quota.AddColumn<long>("reserved").NotNull();
        quota.AddColumn<long>("last_lease").NotNull().DefaultValueByExpression("0");
        yield return quota;
    }
}
