using Latchkey.Console.Platform;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Latchkey.Console.Tests.Platform;

public sealed class UsageViewTests
{
    static readonly DateOnly Today = new(2026, 3, 15);

    [Fact]
    public void Period_NoQuery_IsTheLast30DaysToToday() =>
        Assert.Equal((new DateOnly(2026, 2, 14), Today), UsageView.Period(null, null, Today));

    [Fact]
    public void Period_FarFuture_IsClampedToAYearAhead()
    {
        var (_, to) = UsageView.Period(null, "9999-12-31", Today);

        Assert.Equal(Today.AddDays(366), to);
    }

    [Fact]
    public void Period_Reversed_IsSwappedAndAtMost366Days()
    {
        var (from, to) = UsageView.Period("2026-03-01", "2020-01-01", Today);

        Assert.Equal(new DateOnly(2026, 3, 1), to);
        Assert.Equal(to.AddDays(-365), from);
    }

    [Fact]
    public void TodayOf_Clock_IsTheUtcDay()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 15, 23, 30, 0, TimeSpan.FromHours(-5)));

        Assert.Equal(new DateOnly(2026, 3, 16), UsageView.TodayOf(clock));
        Assert.Equal(new DateOnly(2026, 3, 1), UsageView.MonthStartOf(Today));
    }
}
