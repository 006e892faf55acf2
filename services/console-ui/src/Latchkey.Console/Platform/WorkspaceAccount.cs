namespace Latchkey.Console.Platform;

/// <summary>An account of the workspace, as <c>GET /accounts</c> lists it.</summary>
public sealed record WorkspaceAccount(string Id, string Email, DateTimeOffset CreatedAt);
