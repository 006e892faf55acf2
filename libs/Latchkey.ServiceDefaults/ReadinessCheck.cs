namespace Latchkey.ServiceDefaults;

/// <summary>Something <c>/health/ready</c> must see working, such as the database.</summary>
public interface IReadinessCheck
{
    /// <summary>What <c>/health/ready</c> names when this check fails.</summary>
    string Name => "database";

    Task<bool> IsReadyAsync(CancellationToken ct);
}
