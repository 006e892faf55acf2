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

    [Fact]
    public void MeanRate_AveragesTheInnerSamplesOfTheAllocationCounter()
    {
        string[] csv =
        [
            "Timestamp,Provider,Counter Name,Counter Type,Mean/Increment",
            "12/02/2026 13:37:49,System.Runtime,dotnet.assembly.count ({assembly}),Metric,163",
            "12/02/2026 13:37:50,System.Runtime,dotnet.gc.heap.total_allocated (By / 1 sec),Rate,10",
            "12/02/2026 13:37:51,System.Runtime,dotnet.gc.heap.total_allocated (By / 1 sec),Rate,4000",
            "12/02/2026 13:37:52,System.Runtime,dotnet.gc.heap.total_allocated (By / 1 sec),Rate,6000",
            "12/02/2026 13:37:53,System.Runtime,dotnet.gc.heap.total_allocated (By / 1 sec),Rate,20",
        ];

        Assert.Equal(5000, AllocationCounter.MeanRate(csv));
        Assert.Null(AllocationCounter.MeanRate(csv.Take(2)));
    }
}
