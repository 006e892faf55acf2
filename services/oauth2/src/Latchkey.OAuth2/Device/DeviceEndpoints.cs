using Latchkey.OAuth2.Flows;

namespace Latchkey.OAuth2.Device;

/// <summary>Hydra's device admin API: the project's device app sends the user code the user typed for a device challenge.</summary>
public static class DeviceEndpoints
{
    public static RouteGroupBuilder MapDevice(this RouteGroupBuilder admin)
    {
        var requests = admin.MapGroup("/oauth2/auth/requests/device");
        requests.MapPut("/accept", Accept);
        return requests;
    }

    /// <summary>Hydra's <c>acceptDeviceUserCodeRequest</c> body.</summary>
    public sealed record AcceptUserCodeJson(string? UserCode);

    static async Task<IResult> Accept(string? device_challenge, AcceptUserCodeJson? body, DeviceService devices, CancellationToken ct) =>
        (await devices.AcceptUserCodeAsync(device_challenge, body?.UserCode, ct)).Failed(out var refused, out var to)
            ? refused.Error.ToResult()
            : Results.Json(new RedirectJson(to));
}
