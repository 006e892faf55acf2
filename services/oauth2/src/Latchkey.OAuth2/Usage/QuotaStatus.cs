namespace Latchkey.OAuth2.Usage;

/// <summary>A project's place against its monthly token quota when a token request arrived.</summary>
public sealed record QuotaStatus(long Limit, long Used, DateTimeOffset ResetsAt)
{
    public bool Exceeded => Used >= Limit;
}
