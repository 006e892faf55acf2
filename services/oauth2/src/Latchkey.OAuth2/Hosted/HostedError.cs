namespace Latchkey.OAuth2.Hosted;

/// <summary>What a hosted page tells the user when it cannot go on: a whole error page, or a message on the form to fix.</summary>
public sealed record HostedError(string Id, string Title, string Message, int Status);
