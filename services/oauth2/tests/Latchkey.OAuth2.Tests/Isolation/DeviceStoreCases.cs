using Latchkey.OAuth2.Device;
using Latchkey.OAuth2.Flows;

namespace Latchkey.OAuth2.Tests.Isolation;

/// <summary>The owner has a device request that accepted a user code, a login flow it started, and one counted user-code attempt.</summary>
public sealed class DeviceStoreCases : StoreCases
{
    static readonly CancellationToken None = CancellationToken.None;
    const string AttemptKey = "project";

    readonly Guid _id = Guid.NewGuid();

    public override async Task SeedAsync(ProjectScope owner)
    {
        await owner.Devices.InsertAsync(Request(), None);
        await owner.Devices.CountAttemptAsync(AttemptKey, TimeProvider.System.GetUtcNow(), TimeSpan.FromHours(1), None);
    }

    public override IReadOnlyDictionary<string, Func<ProjectScope, ProjectScope, Task<bool>>> Methods =>
        new Dictionary<string, Func<ProjectScope, ProjectScope, Task<bool>>>
        {
            ["FindAsync"] = async (_, caller) => await caller.Devices.FindAsync(_id, None) is not null,
            ["InsertAsync"] = (_, caller) => CollidesAsync(() => caller.Devices.InsertAsync(Request(), None)),
            ["UpdateAsync"] = async (owner, caller) =>
            {
                var request = (await owner.Devices.FindAsync(_id, None))!;
                request.AcceptUserCode(request.Challenge, new UserCodeGrant(Guid.NewGuid(), Guid.NewGuid(), "tv", ["openid"], []), TimeProvider.System.GetUtcNow());
                return await SucceedsAsync(() => caller.Devices.UpdateAsync(request, None));
            },
            ["UpdateAsync(started login)"] = async (owner, caller) =>
            {
                var request = (await owner.Devices.FindAsync(_id, None))!;
                request.AcceptUserCode(request.Challenge, new UserCodeGrant(Guid.NewGuid(), Guid.NewGuid(), "tv", ["openid"], []), TimeProvider.System.GetUtcNow());
                var flow = new LoginConsentFlow { Id = Guid.NewGuid(), ClientId = "tv", DeviceRequestId = _id, ExpiresAt = TimeProvider.System.GetUtcNow().AddHours(1) };
                return await SucceedsAsync(() => caller.Devices.UpdateAsync(request, None, flow));
            },
            ["CountAttemptAsync"] = async (_, caller) => await caller.Devices.CountAttemptAsync(AttemptKey, TimeProvider.System.GetUtcNow(), TimeSpan.FromHours(1), None) > 1,
        };

    DeviceRequest Request()
    {
        var now = TimeProvider.System.GetUtcNow();
        return new DeviceRequest { Id = _id, Challenge = FlowSecrets.New(_id), Csrf = "csrf", CreatedAt = now, ExpiresAt = now.AddMinutes(30) };
    }
}
