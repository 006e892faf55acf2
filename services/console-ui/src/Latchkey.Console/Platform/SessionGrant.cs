namespace Latchkey.Console.Platform;

/// <summary>The control plane's answer to a sign-in: a workspace key that expires.</summary>
public sealed record SessionGrant(string WorkspaceId, string Value, DateTimeOffset ExpiresAt);
