using System.CommandLine;
using System.Text.Json;
using System.Text.RegularExpressions;
using Latchkey.Cli.Output;
using Latchkey.Client;

namespace Latchkey.Cli.Commands;

/// <summary>
/// <c>latchkey update oauth2-client-lifespans &lt;client-id&gt; --project P --client-credentials-grant-access-token-lifespan 5m …</c>
/// → <c>PUT /admin/clients/{id}/lifespans</c> with Hydra's 13 per-grant token lifespans. As the Ory CLI's <c>update</c>, it
/// replaces them all: a lifespan not given falls back to the project's <c>ttl/*</c>.
/// </summary>
static partial class UpdateOAuth2ClientLifespansCommand
{
    /// <summary>The fields of Hydra's <c>oAuth2ClientTokenLifespans</c>, each a flag of the same name in dashes.</summary>
    public static readonly IReadOnlyList<string> Fields =
    [
        "authorization_code_grant_access_token_lifespan",
        "authorization_code_grant_id_token_lifespan",
        "authorization_code_grant_refresh_token_lifespan",
        "client_credentials_grant_access_token_lifespan",
        "device_authorization_grant_access_token_lifespan",
        "device_authorization_grant_id_token_lifespan",
        "device_authorization_grant_refresh_token_lifespan",
        "implicit_grant_access_token_lifespan",
        "implicit_grant_id_token_lifespan",
        "jwt_bearer_grant_access_token_lifespan",
        "refresh_token_grant_access_token_lifespan",
        "refresh_token_grant_id_token_lifespan",
        "refresh_token_grant_refresh_token_lifespan",
    ];

    public static Command Create(CliHost host)
    {
        var project = CliOptions.Project();
        var id = new Argument<string>("client-id") { Description = "The client's id" };
        var flags = Fields.Select(f => (Field: f, Option: new Option<string?>(Flag(f))
        {
            Description = $"The {Describe(f)}, a duration such as 30m, 1h or 1h30m",
            HelpName = "duration",
        })).ToList();

        var command = new Command("oauth2-client-lifespans",
            "Set an OAuth2 client's token lifespans per grant; every lifespan not given returns to the project's default")
        {
            id, project,
        };
        foreach (var (_, option) in flags)
            command.Add(option);
        command.Aliases.Add("client-lifespans");
        return command.WithHandler(host, async (ctx, ct) =>
        {
            var lifespans = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var (field, option) in flags)
                lifespans[field] = Duration(ctx.Value(option), option.Name);

            var admin = ctx.Admin();
            var slug = await ctx.ProjectSlugAsync(project, ct);
            var client = await admin.SetOAuth2ClientLifespansAsync(slug, ctx.Value(id)!, lifespans, ct);
            ctx.Output.Item(client, Table(client), client.ClientId);
        });
    }

    /// <summary>A Go duration as Hydra's <c>NullDuration</c> pattern takes it, or null when the flag is not given.</summary>
    internal static string? Duration(string? value, string flag) =>
        string.IsNullOrWhiteSpace(value) ? null
        : GoDuration().IsMatch(value.Trim()) ? value.Trim()
        : throw CliException.UsageError($"{flag} must be a duration such as 30m, 1h or 1h30m (units ns, us, ms, s, m, h), got '{value}'");

    static string Flag(string field) => "--" + field.Replace('_', '-');

    static string Describe(string field) => field.Replace("_grant_", " grant's ").Replace('_', ' ').Replace("jwt bearer", "jwt-bearer", StringComparison.Ordinal);

    static List<KeyValuePair<string, string?>> Table(OAuth2Client client)
    {
        var document = JsonSerializer.SerializeToNode(client, LatchkeyJson.Options);
        var rows = new List<KeyValuePair<string, string?>> { new("CLIENT ID", client.ClientId) };
        foreach (var field in Fields)
            rows.Add(new(field.Replace('_', ' ').ToUpperInvariant(), document?[field]?.GetValue<string>()));
        return rows;
    }

    [GeneratedRegex("^([0-9]+([.][0-9]+)?(ns|us|µs|ms|s|m|h))+$")]
    private static partial Regex GoDuration();
}
