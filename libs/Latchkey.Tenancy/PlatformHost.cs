namespace Latchkey.Tenancy;

/// <summary>What a request's Host names: the control plane, the console, a project, or nothing we serve.</summary>
public enum HostKind
{
    Unknown,
    ControlPlane,
    Console,
    Project,
}

public readonly record struct PlatformHost(HostKind Kind, string? Slug)
{
    /// <summary>Classifies a host name (without port) against the deployment's domain.</summary>
    public static PlatformHost Parse(string host, string domain)
    {
        host = host.TrimEnd('.').ToLowerInvariant();
        if (host == domain || host == $"console.{domain}") return new(HostKind.Console, null);
        if (host == $"api.{domain}") return new(HostKind.ControlPlane, null);

        var suffix = $".projects.{domain}";
        if (host.EndsWith(suffix, StringComparison.Ordinal))
        {
            var slug = host[..^suffix.Length];
            if (ProjectSlug.IsWellFormed(slug)) return new(HostKind.Project, slug);
        }
        return new(HostKind.Unknown, null);
    }
}
