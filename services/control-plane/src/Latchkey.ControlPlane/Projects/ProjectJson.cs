using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Latchkey.ServiceDefaults;
using Latchkey.Storage;

namespace Latchkey.ControlPlane.Projects;

/// <summary>
/// A project on the wire, shaped like Ory Network's <c>project</c>; JSON Patch applies to exactly this document. Hook API
/// keys are redacted (<see cref="ConfigJson.Redacted"/>) and restored by <see cref="ProjectPatcher"/>.
/// </summary>
internal sealed record ProjectJson(
    Guid Id,
    Guid RevisionId,
    string Slug,
    string Name,
    string State,
    string Environment,
    Guid WorkspaceId,
    JsonObject Services,
    IReadOnlyList<string> Hosts,
    string Issuer,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static ProjectJson From(StoredProject project, PlatformSettings settings) => new(
        project.Id,
        RevisionIdOf(project),
        project.Slug,
        project.Name,
        StateOf(project),
        project.Environment,
        project.WorkspaceId,
        new JsonObject { ["oauth2"] = new JsonObject { ["config"] = ConfigJson.ToWire(project.OAuth2) } },
        [HostOf(project, settings)],
        settings.IssuerFor(project.Slug),
        project.CreatedAt,
        project.UpdatedAt);

    public static string StateOf(StoredProject project) => project.State.ToString().ToLowerInvariant();

    public static string HostOf(StoredProject project, PlatformSettings settings) => $"{project.Slug}.projects.{settings.Domain}";

    /// <summary>
    /// Ory names each revision with a UUID. Ours is derived from the project id and its revision number
    /// (a version 8 UUID from SHA-256), so it changes with every saved change and needs no storage;
    /// clients can make a patch conditional with <c>{"op":"test","path":"/revision_id",…}</c>.
    /// </summary>
    public static Guid RevisionIdOf(StoredProject project)
    {
        Span<byte> input = stackalloc byte[24];
        project.Id.TryWriteBytes(input, bigEndian: true, out _);
        BinaryPrimitives.WriteInt64BigEndian(input[16..], project.Revision);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
