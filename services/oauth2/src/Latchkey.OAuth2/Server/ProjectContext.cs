using Latchkey.Tenancy;

namespace Latchkey.OAuth2.Server;

/// <summary>Set once per request by <see cref="ProjectResolutionMiddleware"/>, before anything reads it.</summary>
public sealed class ProjectContext : IProjectContext
{
    ProjectInfo? _project;

    public ProjectInfo Project => _project ?? throw new InvalidOperationException("No project was resolved for this request.");

    public string Issuer { get; private set; } = "";

    public bool IsResolved => _project is not null;

    public void Set(ProjectInfo project, string issuer)
    {
        _project = project;
        Issuer = issuer;
    }
}
