using System.Security.Cryptography;
using System.Xml.Linq;
using Latchkey.ServiceDefaults;
using Latchkey.Storage.DataProtection;
using Latchkey.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace Latchkey.Libs.Tests.Storage.DataProtection;

/// <summary>
/// Data protection as two replicas of a service build it, over the real database: what one protects the other
/// unprotects, the table holds no readable key, the system secret rotates, and each application has its own ring.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class DataProtectionKeysTests(StorageFixture fixture)
{
    const string SecretA = "secret-a-0123456789abcdef0123456789";
    const string SecretB = "secret-b-0123456789abcdef0123456789";
    const string Payload = "antiforgery token of a login form";

    readonly string _application = "test-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Unprotect_PayloadOfAnotherReplica_ReturnsIt()
    {
        await using var first = Replica.Start(fixture.DatabaseUrl, _application, SecretA);
        await using var second = Replica.Start(fixture.DatabaseUrl, _application, SecretA);

        var sealedPayload = first.Protector.Protect(Payload);

        Assert.Equal(Payload, second.Protector.Unprotect(sealedPayload));
    }

    [Fact]
    public async Task StoredRing_AfterProtect_HoldsNoReadableMasterKey()
    {
        await using var replica = Replica.Start(fixture.DatabaseUrl, _application, SecretA);
        replica.Protector.Protect(Payload);

        var stored = Assert.Single(await RowsAsync(_application));
        Assert.DoesNotContain("masterKey", stored, StringComparison.Ordinal);
        var encrypted = XElement.Parse(stored).Descendants(SystemSecretXmlEncryptor.ElementName).Single();
        var masterKey = new SystemSecretXmlDecryptor(replica.Services).Decrypt(encrypted)
            .DescendantsAndSelf("masterKey").Single().Element("value")!.Value;
        Assert.True(masterKey.Length >= 32);
        Assert.DoesNotContain(masterKey, stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unprotect_AfterSecretRotation_ReadsTheRingWrittenUnderTheOldSecret()
    {
        string sealedPayload;
        await using (var before = Replica.Start(fixture.DatabaseUrl, _application, SecretA))
            sealedPayload = before.Protector.Protect(Payload);

        await using var rotated = Replica.Start(fixture.DatabaseUrl, _application, SecretB, SecretA);
        await using var withoutOld = Replica.Start(fixture.DatabaseUrl, _application, SecretB);

        Assert.Equal(Payload, rotated.Protector.Unprotect(sealedPayload));
        Assert.ThrowsAny<CryptographicException>(() => withoutOld.Protector.Unprotect(sealedPayload));
    }

    [Fact]
    public async Task Rings_OfTwoApplications_AreSeparate()
    {
        var other = _application + "-other";
        await using var console = Replica.Start(fixture.DatabaseUrl, _application, SecretA);
        console.Protector.Protect(Payload);
        var consoleRing = await RowsAsync(_application);

        Assert.Empty(await RowsAsync(other));
        await using var oauth2 = Replica.Start(fixture.DatabaseUrl, other, SecretA);
        oauth2.Protector.Protect(Payload);

        Assert.Single(await RowsAsync(other));
        Assert.Equal(consoleRing, await RowsAsync(_application));
        Assert.DoesNotContain(Assert.Single(await RowsAsync(other)), consoleRing);
    }

    async Task<List<string>> RowsAsync(string application)
    {
        await using var database = NpgsqlDataSource.Create(fixture.DatabaseUrl);
        await using var command = database.CreateCommand(
            $"select xml from {DataProtectionKeys.Schema}.{DataProtectionKeys.Name} where application = $1 order by name");
        command.Parameters.AddWithValue(application);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }

    /// <summary>One service process's data protection: its own container, key manager and cache.</summary>
    sealed class Replica(ServiceProvider services) : IAsyncDisposable
    {
        public IServiceProvider Services => services;
        public IDataProtector Protector { get; } = services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test");

        public static Replica Start(string databaseUrl, string application, params string[] secrets)
        {
            var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["LATCHKEY_DATABASE_URL"] = databaseUrl,
                [PlatformSettings.SystemSecretsSetting] = string.Join(',', secrets),
            }).Build();
            var collection = new ServiceCollection();
            collection.AddSingleton(PlatformSettings.From(config));
            collection.AddLogging();
            collection.AddLatchkeyDataProtection(application);
            return new Replica(collection.BuildServiceProvider());
        }

        public ValueTask DisposeAsync() => services.DisposeAsync();
    }
}
