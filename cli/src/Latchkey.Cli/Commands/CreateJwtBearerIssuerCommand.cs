using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Latchkey.Cli.Output;
using Latchkey.Client;

namespace Latchkey.Cli.Commands;

/// <summary>
/// <c>latchkey create jwt-bearer-issuer --project P --issuer I (--subject S | --allow-any-subject) --jwk FILE --expires-at T</c>
/// → <c>POST /admin/trust/grants/jwt-bearer/issuers</c>: trusts the issuer's public key for the jwt-bearer grant (RFC 7523).
/// The key, the date and the subject flags are checked here, so a private key is never sent.
/// </summary>
static partial class CreateJwtBearerIssuerCommand
{
    public static Command Create(CliHost host)
    {
        var project = CliOptions.Project();
        var issuer = CliOptions.Text("--issuer", "The issuer of the assertions (their iss claim)");
        var subject = CliOptions.Text("--subject", "The subject the assertions may be about (their sub claim)");
        var anySubject = new Option<bool>("--allow-any-subject") { Description = "Accept assertions about any subject instead of one --subject" };
        var scopes = CliOptions.Repeatable("--scope", "A scope the assertions may be exchanged for");
        var jwk = new Option<string?>("--jwk")
        {
            Description = "File holding the issuer's public JWK (with its kid), or a JWK set of one key; - reads standard input",
            HelpName = "file|-",
        };
        var expiresAt = new Option<string?>("--expires-at")
        {
            Description = "When the trust ends, RFC 3339 (e.g. 2030-01-01T00:00:00Z)",
            HelpName = "date-time",
        };

        var command = new Command("jwt-bearer-issuer", "Trust an issuer's key for the jwt-bearer grant")
        {
            project, issuer, subject, anySubject, scopes, jwk, expiresAt,
        };
        command.Aliases.Add("jwt-bearer-issuers");
        return command.WithHandler(host, async (ctx, ct) =>
        {
            var iss = ctx.Require(ctx.Value(issuer), "--issuer");
            var sub = ctx.Value(subject);
            var any = ctx.Value(anySubject);
            if (string.IsNullOrWhiteSpace(sub) == !any)
                throw CliException.UsageError(any ? "give --subject or --allow-any-subject, not both" : "--subject or --allow-any-subject is required");
            var expires = ExpiresAt(ctx.Require(ctx.Value(expiresAt), "--expires-at"), ctx.Clock.GetUtcNow());
            var key = PublicJwk(ctx.Require(ctx.Value(jwk), "--jwk"), ctx.Stdin);

            var admin = ctx.Admin();
            var slug = await ctx.ProjectSlugAsync(project, ct);
            var trusted = await admin.TrustOAuth2JwtGrantIssuerAsync(slug, new TrustOAuth2JwtGrantIssuer
            {
                Issuer = iss,
                Subject = any ? null : sub,
                AllowAnySubject = any ? true : null,
                Scope = ctx.Values(scopes),
                Jwk = key,
                ExpiresAt = expires,
            }, ct);
            JwtBearerIssuerView.Print(ctx.Output, [trusted]);
        });
    }

    /// <summary>An RFC 3339 date-time with its offset, in the future.</summary>
    internal static DateTimeOffset ExpiresAt(string text, DateTimeOffset now)
    {
        if (!Rfc3339().IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            throw CliException.UsageError($"--expires-at must be an RFC 3339 date-time such as 2030-01-01T00:00:00Z, got '{text}'");
        return time <= now ? throw CliException.UsageError($"--expires-at must be in the future, got '{text}'") : time;
    }

    /// <summary>The one public key in a JWK or JWK set file: an object with kty and kid and no private member.</summary>
    internal static JsonObject PublicJwk(string path, TextReader stdin)
    {
        string text;
        try
        {
            text = path == "-" ? stdin.ReadToEnd() : File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw CliException.UsageError($"--jwk: cannot read '{path}': {ex.Message}");
        }

        JsonNode? document;
        try
        {
            document = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            throw CliException.UsageError($"--jwk '{path}' is not JSON");
        }
        var key = document switch
        {
            JsonObject set when set["keys"] is JsonArray keys => keys is [JsonObject only]
                ? only
                : throw CliException.UsageError($"--jwk '{path}' holds {keys.Count} keys; give a file with one"),
            JsonObject one => one,
            _ => throw CliException.UsageError($"--jwk '{path}' is not a JSON object"),
        };
        if (key["kty"] is not JsonValue)
            throw CliException.UsageError($"--jwk '{path}' is not a JWK: it has no kty");
        if (key["kid"] is not JsonValue kid || kid.GetValueKind() != JsonValueKind.String || kid.GetValue<string>().Length == 0)
            throw CliException.UsageError($"--jwk '{path}' has no kid; the assertions name their key by it");
        if (PrivateMembers.FirstOrDefault(key.ContainsKey) is { } member)
            throw CliException.UsageError($"--jwk '{path}' holds a private key ('{member}'); give only the public part");
        return (JsonObject)key.DeepClone();
    }

    static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "k"];

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();
}
