namespace Latchkey.OAuth2.Flows;

/// <summary>Private claims the flows put in the tokens they issue, and read back.</summary>
public static class FlowClaims
{
    /// <summary>The access-token claim naming the flow a token came from: /userinfo reads that consent's ID-token claims.</summary>
    public const string Flow = "lk_flow";
}
