namespace Latchkey.Cli.Output;

/// <summary>The values of <c>--format</c>, as the Ory CLI names them.</summary>
enum OutputFormat
{
    Table,
    Json,
    JsonPretty,
    Yaml,
}
