namespace Latchkey.ControlPlane.Projects;

/// <summary>The answer to <c>PATCH /projects/{id}</c>, as Ory gives it: the project and config warnings (none yet).</summary>
internal sealed record ProjectPatchJson(ProjectJson Project, IReadOnlyList<object> Warnings);
