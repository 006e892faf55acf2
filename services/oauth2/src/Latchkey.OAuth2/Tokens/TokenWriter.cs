using System.Threading.Channels;
using Latchkey.OAuth2.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Latchkey.OAuth2.Tokens;

/// <summary>
/// Group commit for the token inserts of client-credentials sign-ins (<see cref="TokenStore.InsertAsync"/>): the
/// entries of concurrent requests are written by one multi-row INSERT (arrays unnested, one statement, one commit),
/// and each request's task completes only after that commit, so every token is in PostgreSQL before its response is
/// sent, exactly as with one INSERT per token (synchronous_commit untouched). No timer delays a write: a few writers
/// take whatever has queued up while they were busy, so an idle service writes each token at once and a busy one
/// writes many per round trip. If a batch fails, its entries are written one by one, so a failure (a signature
/// taken, a row PostgreSQL refuses) fails exactly the request it belongs to; when the database is down, each request
/// fails with its own error.
/// </summary>
public sealed class TokenWriter : IAsyncDisposable
{
    /// <summary>Writers at once: enough that a batch in flight does not hold the next one back.</summary>
    const int Writers = 4;

    /// <summary>Rows per statement; what is left waits for the next one.</summary>
    const int MaxBatch = 256;

    readonly NpgsqlDataSource _database;
    readonly string _insert;
    readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false });
    readonly Task[] _writers;

    public TokenWriter(IOAuth2Store store, NpgsqlDataSource database)
    {
        _database = database;
        // The statement Marten issues for the document, on Marten's own table, for many rows at once.
        _insert = $"""
            insert into {OAuth2Schema.TableOf<TokenEntry>(store)} (tenant_id, id, data, mt_version, mt_dotnet_type, mt_last_modified)
            select t, i, d, v, '{typeof(TokenEntry).FullName}', transaction_timestamp()
            from unnest($1::varchar[], $2::uuid[], $3::jsonb[], $4::uuid[]) as rows(t, i, d, v)
            """;
        _writers = [.. Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteLoopAsync))];
    }

    /// <summary>Completes once the entry (its JSON given) is committed; throws what its write threw.</summary>
    public Task WriteAsync(string tenantId, Guid id, string json, Guid version)
    {
        var pending = new Pending(tenantId, id, json, version, new(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
            throw new ObjectDisposedException(nameof(TokenWriter), "The service is stopping: no more tokens are written.");
        return pending.Done.Task;
    }

    async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
                batch.Add(next);
            if (batch.Count == 0) continue;
            await WriteAsync(batch);
            batch.Clear();
        }
    }

    async Task WriteAsync(List<Pending> batch)
    {
        try
        {
            await InsertAsync(batch);
            foreach (var pending in batch)
                pending.Done.TrySetResult();
            return;
        }
        catch (Exception) when (batch.Count > 1)
        {
            // Which row broke the statement is not known: write them one by one, each with its own outcome.
        }
        catch (Exception ex)
        {
            batch[0].Done.TrySetException(ex);
            return;
        }
        foreach (var pending in batch)
        {
            try
            {
                await InsertAsync([pending]);
                pending.Done.TrySetResult();
            }
            catch (Exception ex)
            {
                pending.Done.TrySetException(ex);
            }
        }
    }

    async Task InsertAsync(List<Pending> rows)
    {
        await using var command = _database.CreateCommand(_insert);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. rows.Select(r => r.TenantId)] });
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. rows.Select(r => r.Id)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. rows.Select(r => r.Json)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. rows.Select(r => r.Version)] });
        // No cancellation: once queued, a row is written whether or not its request still waits.
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    /// <summary>Stops taking entries and waits until every queued one is written (or has failed).</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }

    sealed record Pending(string TenantId, Guid Id, string Json, Guid Version, TaskCompletionSource Done);
}
