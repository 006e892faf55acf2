using System.Reflection;
using System.Text.RegularExpressions;
using Latchkey.OAuth2.Admin;
using Latchkey.OAuth2.Clients;
using Latchkey.OAuth2.Device;
using Latchkey.OAuth2.Keys;
using Latchkey.OAuth2.Server;
using Latchkey.OAuth2.Storage;
using Latchkey.OAuth2.Tokens;
using Latchkey.OAuth2.Usage;
using Latchkey.ServiceDefaults;
using Xunit;

namespace Latchkey.OAuth2.Tests.Server;

/// <summary>Every entry of the catalogues this folder set owns has an id of its own, in its folder's range.</summary>
public sealed partial class ErrorCatalogueTests
{
    public static TheoryData<Type, int, int> Catalogues => new()
    {
        { typeof(ServerErrors), 1000, 1099 },
        { typeof(AdminErrors), 1100, 1199 },
        { typeof(DeviceErrors), 1200, 1299 },
        { typeof(Latchkey.OAuth2.Trust.TrustErrors), 1300, 1399 },
        { typeof(ClientErrors), 1500, 1999 },
        { typeof(TokenErrors), 2000, 2499 },
        { typeof(KeyErrors), 2500, 2999 },
        { typeof(UsageErrors), 4000, 4499 },
        { typeof(StorageErrors), 4500, 4599 },
        { typeof(Latchkey.OAuth2.Hooks.HookErrors), 4600, 4699 },
        { typeof(Latchkey.OAuth2.Registration.RegistrationErrors), 1400, 1499 },
        { typeof(Latchkey.OAuth2.Credentials.CredentialErrors), 4700, 4799 },
    };

    [Theory]
    [MemberData(nameof(Catalogues))]
    public void Entries_OfCatalogue_HaveUniqueIdsInRange(Type catalogue, int first, int last)
    {
        var ids = Entries(catalogue).Select(e => e.Id).ToList();

        Assert.NotEmpty(ids);
        Assert.All(ids, id => Assert.Matches(IdPattern(), id));
        Assert.All(ids, id => Assert.InRange(int.Parse(id[2..], System.Globalization.CultureInfo.InvariantCulture), first, last));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    /// <summary>Fields as they are; methods called with placeholder arguments, as the id never depends on them.</summary>
    static IEnumerable<OAuth2Error> Entries(Type catalogue)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Static;
        foreach (var field in catalogue.GetFields(flags).Where(f => f.FieldType == typeof(OAuth2Error)))
            yield return (OAuth2Error)field.GetValue(null)!;
        foreach (var method in catalogue.GetMethods(flags).Where(m => m.ReturnType == typeof(OAuth2Error)))
            yield return (OAuth2Error)method.Invoke(null, [.. method.GetParameters().Select(Placeholder)])!;
    }

    static object? Placeholder(ParameterInfo parameter) => parameter.ParameterType switch
    {
        var t when t == typeof(string) => "x",
        var t when t == typeof(int) => 1,
        var t when t == typeof(QuotaStatus) => new QuotaStatus(1, 1, DateTimeOffset.UnixEpoch),
        _ => null,
    };

    [GeneratedRegex("^LK[0-9]{4}$")]
    private static partial Regex IdPattern();
}
