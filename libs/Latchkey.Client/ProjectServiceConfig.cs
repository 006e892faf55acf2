using System.Text.Json.Nodes;

namespace Latchkey.Client;

/// <summary>One service of a project: <c>{"config": {…}}</c>, the config using Hydra's key names.</summary>
public sealed record ProjectServiceConfig
{
    public JsonObject? Config { get; init; }
}
