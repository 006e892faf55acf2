namespace Latchkey.OAuth2.Hosted;

/// <summary>A user who signed up on a project's hosted login page; per project, like every oauth2 document.</summary>
public sealed class HostedUser
{
    public Guid Id { get; set; }

    /// <summary>Trimmed and lower-case; unique within the project (see <c>OAuth2Schema</c>).</summary>
    public string Email { get; set; } = "";

    public string PasswordHash { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}
