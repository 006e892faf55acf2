using System.Security.Cryptography;
using System.Text;
using Latchkey.OAuth2.Storage;
using Marten;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Latchkey.OAuth2.Trust;

/// <summary>
/// The <c>jti</c> of every JWT assertion accepted (jwt-bearer grants and <c>private_key_jwt</c> client assertions),
/// kept until the assertion expires, so each is used once (RFC 7523 §3, item 7; Hydra's <c>oauth2_jti_blacklist</c>).
/// Marking is one <c>insert … on conflict</c>: of two concurrent uses exactly one inserts, the other is a replay.
/// The key is a hash of the assertion's issuer and jti, so one issuer cannot burn another's ids.
/// </summary>
public sealed class AssertionJtis(UnitOfWork work)
{
    public const string Table = "assertion_jtis";

    /// <summary>The table, for Marten's <c>Storage.ExtendedSchemaObjects</c>.</summary>
    public static Table TableOf(string schema)
    {
        var table = new Table(new PostgresqlObjectName(schema, Table, SchemaUtils.IdentifierUsage.General));
        table.AddColumn<string>("tenant_id").AsPrimaryKey();
        table.AddColumn<string>("signature").AsPrimaryKey();
        table.AddColumn("expires_at", "timestamptz").NotNull();
        return table;
    }

    /// <summary>
    /// Marks the jti used until <paramref name="expiresAt"/>; false when it is already marked and not yet expired
    /// (a replay). An entry past its expiry is taken over, since its assertion can no longer be presented.
    /// </summary>
    public async Task<bool> TryMarkUsedAsync(string issuer, string jti, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken ct)
    {
        var signature = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(issuer + "\n" + jti)));
        var marked = await work.Session.AdvancedSql.QueryAsync<long>($"""
            with marked as (
                insert into {OAuth2Schema.Name}.{Table} as j (tenant_id, signature, expires_at) values (?, ?, ?)
                on conflict (tenant_id, signature) do update set expires_at = excluded.expires_at where j.expires_at <= ?
                returning 1)
            select count(*) from marked
            """, ct, work.TenantId, signature, expiresAt.ToUniversalTime(), now.ToUniversalTime());
        return marked.Single() == 1;
    }

    /// <summary>Whether the jti is marked used (and not expired): for tests and the janitor.</summary>
    public async Task<bool> IsUsedAsync(string issuer, string jti, DateTimeOffset now, CancellationToken ct)
    {
        var signature = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(issuer + "\n" + jti)));
        var found = await work.Session.AdvancedSql.QueryAsync<long>(
            $"select count(*) from {OAuth2Schema.Name}.{Table} where tenant_id = ? and signature = ? and expires_at > ?",
            ct, work.TenantId, signature, now.ToUniversalTime());
        return found.Single() > 0;
    }
}
