using System.Reflection;
using Latchkey.OAuth2.Flows;
using Latchkey.ServiceDefaults;
using Xunit;

namespace Latchkey.OAuth2.Tests.Flows;

public sealed class FlowErrorsTests
{
    /// <summary>Every named entry, parameterised ones called with a sample argument.</summary>
    static IEnumerable<OAuth2Error> Entries() =>
        typeof(FlowErrors).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (OAuth2Error)f.GetValue(null)!)
            .Concat(typeof(FlowErrors).GetMethods(BindingFlags.Public | BindingFlags.Static).Select(m => (OAuth2Error)m.Invoke(null, ["x"])!));

    [Fact]
    public void Entries_HaveDistinctIdsInTheFlowsRange()
    {
        var ids = Entries().Select(e => e.Id).ToList();
        Assert.All(ids, id => Assert.InRange(int.Parse(id.AsSpan(2), System.Globalization.CultureInfo.InvariantCulture), 3000, 3499));
        Assert.All(ids, id => Assert.StartsWith("LK", id, StringComparison.Ordinal));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }
}
