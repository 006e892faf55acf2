using Latchkey.OAuth2.Device;
using Latchkey.OAuth2.Flows;
using Microsoft.AspNetCore.Antiforgery;

namespace Latchkey.OAuth2.Hosted;

/// <summary>
/// The hosted device-verification and success pages, for a project without <c>urls.device.verification</c> and
/// <c>urls.device.success</c>: the same step an external device app takes through Hydra's admin API, from the same
/// <see cref="DeviceService"/>; the hosted login and consent follow.
/// </summary>
public static class HostedDevicePages
{
    public static RouteGroupBuilder MapHostedDevicePages(this RouteGroupBuilder ui)
    {
        ui.MapGet("/device/verify", VerifyPage);
        ui.MapPost("/device/verify", Verify).DisableAntiforgery();
        ui.MapGet("/device/success", () => HostedPages.Message("Device connected", "Your device is connected. You can close this page and return to it."));
        return ui;
    }

    static IResult VerifyPage(HttpContext http, string? device_challenge, string? user_code, IAntiforgery antiforgery)
    {
        if (string.IsNullOrEmpty(device_challenge)) return HostedPages.ErrorPage(HostedErrors.MissingChallenge);
        return HostedPages.Html(HostedPages.DeviceVerification(antiforgery.GetAndStoreTokens(http), device_challenge, UserCodes.Normalize(user_code), null));
    }

    static async Task<IResult> Verify(HttpContext http, IAntiforgery antiforgery, DeviceService devices, CancellationToken ct)
    {
        if (await HostedEndpoints.FormAsync(http, antiforgery) is not { } form) return HostedPages.ErrorPage(HostedErrors.FormExpired);
        string challenge = form["device_challenge"].ToString(), userCode = form["user_code"].ToString();
        if (string.IsNullOrEmpty(challenge)) return HostedPages.ErrorPage(HostedErrors.MissingChallenge);
        if (!(await devices.AcceptUserCodeAsync(challenge, userCode, ct)).Failed(out var refused, out var to)) return Results.Redirect(to);

        IResult Again(HostedError error) =>
            HostedPages.Html(HostedPages.DeviceVerification(antiforgery.GetAndStoreTokens(http), challenge, null, error.Message), error.Status);
        if (refused.Error == DeviceErrors.UserCodeEmpty || refused.Error == DeviceErrors.InvalidUserCode) return Again(HostedErrors.DeviceCodeInvalid);
        if (refused.Error == DeviceErrors.TooManyAttempts) return Again(HostedErrors.DeviceTooManyAttempts);
        return HostedPages.ErrorPage(refused.Outcome == FlowOutcome.AlreadyHandled ? HostedErrors.AlreadyHandled : HostedErrors.UnknownRequest);
    }
}
