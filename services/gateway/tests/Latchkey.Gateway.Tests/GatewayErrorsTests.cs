using Xunit;

namespace Latchkey.Gateway.Tests;

public sealed class GatewayErrorsTests
{
    [Fact]
    public void Catalogue_EveryEntry_HasAUniqueIdInTheGatewaysRange()
    {
        string[] ids =
        [
            GatewayErrors.TooLarge.Id,
            GatewayErrors.ProjectTooLarge.Id,
            GatewayErrors.UnknownHost("h").Id,
            GatewayErrors.UnknownProject("h").Id,
            GatewayErrors.RateLimited(RateLimits.Bucket.Token, new(false, new(1, 1), 1, TimeSpan.FromSeconds(1), 0, TimeSpan.FromSeconds(1))).Id,
        ];

        Assert.All(ids, id => Assert.InRange(int.Parse(id[2..], System.Globalization.CultureInfo.InvariantCulture), 6000, 6499));
        Assert.All(ids, id => Assert.StartsWith("LK", id));
        Assert.Equal(ids.Length, ids.Distinct().Count());
    }
}
