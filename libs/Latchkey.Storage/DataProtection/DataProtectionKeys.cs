using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Latchkey.Storage.DataProtection;

/// <summary>
/// One application's data-protection key ring (the keys that encrypt cookies and antiforgery tokens) in
/// PostgreSQL, so every replica reads the same ring and a rollout keeps it: on a pod's disk, a form served by
/// one replica was refused by the next and every restart signed users out. <c>application</c> keeps the
/// console's and oauth2's rings apart. The elements arrive already encrypted (<see cref="SystemSecretXmlEncryptor"/>).
/// </summary>
public sealed class DataProtectionKeys(NpgsqlDataSource database, string application) : IXmlRepository
{
    public const string Schema = "latchkey";
    public const string Name = "data_protection_keys";
    const string Table = Schema + "." + Name;

    /// <summary>The table, for Marten's <c>Storage.ExtendedSchemaObjects</c>, so <c>migrate</c> creates it with the documents.</summary>
    public static Table TableOf()
    {
        var table = new Table(new PostgresqlObjectName(Schema, Name, SchemaUtils.IdentifierUsage.General));
        table.AddColumn<string>("application").AsPrimaryKey();
        table.AddColumn<string>("name").AsPrimaryKey();
        table.AddColumn<string>("xml").NotNull();
        table.AddColumn("created_at", "timestamp with time zone").NotNull().DefaultValueByExpression("now()");
        return table;
    }

    // IXmlRepository is synchronous; the key manager calls it only when the ring is loaded or a key is added.
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var command = database.CreateCommand($"select xml from {Table} where application = $1 order by created_at, name");
        command.Parameters.AddWithValue(application);
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read()) elements.Add(XElement.Parse(reader.GetString(0)));
        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        // Key names are "key-<guid>" and never reused; a replica repeating a write changes nothing.
        using var command = database.CreateCommand($"insert into {Table} (application, name, xml) values ($1, $2, $3) on conflict do nothing");
        command.Parameters.AddWithValue(application);
        command.Parameters.AddWithValue(string.IsNullOrEmpty(friendlyName) ? Guid.NewGuid().ToString("N") : friendlyName);
        command.Parameters.AddWithValue(element.ToString(SaveOptions.DisableFormatting));
        command.ExecuteNonQuery();
    }
}
