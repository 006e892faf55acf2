using System.Reflection;
using Latchkey.OAuth2.Hosted;
using Xunit;

namespace Latchkey.OAuth2.Tests.Hosted;

public sealed class HostedErrorsTests
{
    [Fact]
    public void Entries_HaveDistinctIdsInTheHostedRange()
    {
        var ids = typeof(HostedErrors).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => ((HostedError)f.GetValue(null)!).Id).ToList();
        Assert.All(ids, id => Assert.InRange(int.Parse(id.AsSpan(2), System.Globalization.CultureInfo.InvariantCulture), 3500, 3999));
        Assert.All(ids, id => Assert.StartsWith("LK", id, StringComparison.Ordinal));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }
}
