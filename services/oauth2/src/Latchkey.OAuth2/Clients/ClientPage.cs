namespace Latchkey.OAuth2.Clients;

/// <summary>One page of a project's clients, oldest first, and how many clients match in all.</summary>
public sealed record ClientPage(IReadOnlyList<StoredClient> Items, long Total);
