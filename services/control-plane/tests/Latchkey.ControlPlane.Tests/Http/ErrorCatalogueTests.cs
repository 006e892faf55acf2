using System.Reflection;
using Latchkey.ControlPlane.Accounts;
using Latchkey.ControlPlane.Http;
using Latchkey.ServiceDefaults;
using Xunit;

namespace Latchkey.ControlPlane.Tests.Http;

public sealed class ErrorCatalogueTests
{
    /// <summary>Every entry of a catalogue: its fields, and its methods called with placeholder arguments.</summary>
    static IEnumerable<(string Name, OryError Error)> Entries(Type catalogue)
    {
        const BindingFlags Static = BindingFlags.Public | BindingFlags.Static;
        foreach (var field in catalogue.GetFields(Static).Where(f => f.FieldType == typeof(OryError)))
            yield return (field.Name, (OryError)field.GetValue(null)!);
        foreach (var method in catalogue.GetMethods(Static).Where(m => m.ReturnType == typeof(OryError)))
        {
            var arguments = method.GetParameters().Select(p => p.ParameterType == typeof(int) ? (object)400 : "x").ToArray();
            yield return (method.Name, (OryError)method.Invoke(null, arguments)!);
        }
    }

    [Theory]
    [InlineData(typeof(ControlPlaneErrors), 5000, 5499)]
    [InlineData(typeof(AccountErrors), 5500, 5999)]
    public void Catalogue_EveryEntry_HasAUniqueIdInItsRange(Type catalogue, int first, int last)
    {
        var entries = Entries(catalogue).ToList();

        Assert.NotEmpty(entries);
        foreach (var (name, error) in entries)
        {
            Assert.Matches("^LK[0-9]{4}$", error.Id);
            Assert.InRange(int.Parse(error.Id[2..], System.Globalization.CultureInfo.InvariantCulture), first, last);
            Assert.False(string.IsNullOrEmpty(error.Message), name);
        }
        Assert.Equal(entries.Count, entries.Select(e => e.Error.Id).Distinct().Count());
    }
}
