namespace Latchkey.Storage.Usage;

/// <summary>One metric of one project on one UTC day, as it is added to (or, for distinct counts, raised in) PostgreSQL.</summary>
public readonly record struct UsageCount(Guid ProjectId, Guid WorkspaceId, DateOnly Day, string Metric, long Value);
