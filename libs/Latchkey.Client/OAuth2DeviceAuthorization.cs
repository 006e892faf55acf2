namespace Latchkey.Client;

/// <summary>A successful answer of <c>POST /oauth2/device/auth</c> (RFC 8628 §3.2), Hydra's <c>deviceAuthorization</c>.</summary>
public sealed record OAuth2DeviceAuthorization
{
    public string DeviceCode { get; init; } = "";
    public string UserCode { get; init; } = "";
    public string VerificationUri { get; init; } = "";
    public string? VerificationUriComplete { get; init; }
    public long ExpiresIn { get; init; }
    /// <summary>Seconds between polls; RFC 8628 says 5 when the server sends none.</summary>
    public long? Interval { get; init; }
}
