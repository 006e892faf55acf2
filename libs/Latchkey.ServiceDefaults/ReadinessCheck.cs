namespace Latchkey.ServiceDefaults;

/// <summary>Something <c>/health/ready</c> must see working, such as the database.</summary>
public interface IReadinessCheck
{
    Task<bool> IsReadyAsync(CancellationToken ct);
}
