using Latchkey.ServiceDefaults;

namespace Latchkey.OAuth2.Admin;

/// <summary>The named errors of the <c>/admin</c> API as a whole (ids LK1100–LK1199).</summary>
public static class AdminErrors
{
    public static readonly OAuth2Error KeyRequired =
        OAuth2Error.Unauthorized("A project API key of this project, or a workspace API key of its workspace, is required.") with { Id = "LK1100" };

    public static readonly OAuth2Error UnknownPageToken =
        OAuth2Error.InvalidRequest("Unable to parse pagination parameters: 'page_token' is not a token this list returned.") with { Id = "LK1101" };

    public static readonly OAuth2Error PageTokenPastEnd =
        OAuth2Error.InvalidRequest("Unable to parse pagination parameters: 'page_token' is past the end of any list.") with { Id = "LK1102" };
}
