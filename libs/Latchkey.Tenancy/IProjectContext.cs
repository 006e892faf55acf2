namespace Latchkey.Tenancy;

/// <summary>The project the current request is served for; resolved from the Host before any endpoint runs.</summary>
public interface IProjectContext
{
    ProjectInfo Project { get; }
    string Issuer { get; }
}
