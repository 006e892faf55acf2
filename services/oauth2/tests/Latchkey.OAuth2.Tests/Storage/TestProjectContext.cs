using Latchkey.Tenancy;

namespace Latchkey.OAuth2.Tests.Storage;

/// <summary>The project a test scope acts for; switchable, so one scope can also act for another project.</summary>
public sealed class TestProjectContext : IProjectContext
{
    ProjectInfo? _project;

    public ProjectInfo Project => _project ?? throw new InvalidOperationException("The test did not choose a project.");

    public string Issuer => $"http://{Project.Slug}.projects.test";

    public void Use(ProjectInfo project) => _project = project;

    public static ProjectInfo NewProject()
    {
        var id = Guid.NewGuid();
        return new ProjectInfo(id, Guid.NewGuid(), $"p{id:N}"[..12], "Test project", 1, new OAuth2Config());
    }
}
