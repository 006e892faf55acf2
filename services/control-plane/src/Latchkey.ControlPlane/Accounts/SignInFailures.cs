namespace Latchkey.ControlPlane.Accounts;

/// <summary>Recent failed sign-ins for one email address (known or not), for throttling. Kept in PostgreSQL so every replica sees them.</summary>
public sealed class SignInFailures
{
    public string Id { get; set; } = "";
    public List<DateTimeOffset> At { get; set; } = [];
}
