using Latchkey.ServiceDefaults;

namespace Latchkey.OAuth2.Hooks;

/// <summary>The named errors of the project's token hooks (ids LK4600–LK4699).</summary>
public static class HookErrors
{
    /// <summary>The hook answered 403: as Hydra, the token request is denied.</summary>
    public static readonly OAuth2Error Denied =
        new("access_denied", "The token hook target responded with an error: it denied this token request.", 400) { Id = "LK4600" };

    /// <summary>The hook could not be reached, timed out, answered another status, or sent a body that is not Hydra's.</summary>
    public static OAuth2Error Failed(string why) =>
        new("server_error", $"The token hook target responded with an error: {why}", 500) { Id = "LK4601" };
}
