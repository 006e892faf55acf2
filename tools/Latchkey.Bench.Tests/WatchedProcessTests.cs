using Xunit;

namespace Latchkey.Bench.Tests;

/// <summary>The processes whose CPU the bench measures come from <c>scripts/run.sh</c>'s pid file.</summary>
public sealed class WatchedProcessTests
{
    [Fact]
    public void FromRunPids_ServicesByName_InTheOrderAsked_SkippingOtherLines()
    {
        const string pids = """
            service control-plane 101
            service oauth2 102
            service console 103
            service gateway 104
            postgres /x/.local/postgres -
            redis /x/.local/redis -
            """;

        var processes = WatchedProcess.FromRunPids(pids, "oauth2", "gateway");

        Assert.Equal([new("oauth2", 102), new("gateway", 104)], processes);
    }

    [Fact]
    public void FromRunPids_MissingServiceOrBadPid_IsLeftOut() =>
        Assert.Equal([new WatchedProcess("gateway", 7)], WatchedProcess.FromRunPids("service oauth2 x\nservice gateway 7\n", "oauth2", "gateway"));

    [Fact]
    public void CpuTime_OfThisProcess_IsKnown_AndOfAnExitedOneIsNull()
    {
        Assert.NotNull(new WatchedProcess("self", Environment.ProcessId).CpuTime());
        Assert.Null(new WatchedProcess("gone", int.MaxValue).CpuTime());
    }
}
