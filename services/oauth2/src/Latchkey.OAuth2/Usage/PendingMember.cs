using Latchkey.Storage.Usage;

namespace Latchkey.OAuth2.Usage;

/// <summary>A member of the flush index: one project's day with counts waiting in Redis, <c>project|workspace|yyyy-MM-dd</c>.</summary>
public readonly record struct PendingMember(Guid ProjectId, Guid WorkspaceId, DateOnly Day)
{
    public static string Format(Guid projectId, Guid workspaceId, DateOnly day) => $"{projectId}|{workspaceId}|{UsageKeys.Format(day)}";

    public override string ToString() => Format(ProjectId, WorkspaceId, Day);

    public static bool TryParse(string? text, out PendingMember member)
    {
        member = default;
        var parts = (text ?? "").Split('|');
        if (parts.Length != 3 || !Guid.TryParse(parts[0], out var project) || !Guid.TryParse(parts[1], out var workspace)
            || !UsageKeys.TryParseDay(parts[2], out var day))
            return false;
        member = new PendingMember(project, workspace, day);
        return true;
    }
}
