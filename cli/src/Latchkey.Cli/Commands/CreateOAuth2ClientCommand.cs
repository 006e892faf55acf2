using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Latchkey.Cli.Output;
using Latchkey.Client;

namespace Latchkey.Cli.Commands;

/// <summary>
/// <c>latchkey create oauth2-client --project P …</c> → <c>POST /admin/clients</c>, with the Ory CLI's flags.
/// Unset flags are not sent, so the server applies Hydra's defaults (authorization_code, code, client_secret_basic).
/// </summary>
static class CreateOAuth2ClientCommand
{
    public static Command Create(CliHost host)
    {
        var project = CliOptions.Project();
        var name = CliOptions.Text("--name", "The client's human-readable name");
        var id = CliOptions.Text("--id", "Ask for this client id instead of a generated one");
        var secret = CliOptions.Text("--secret", "Use this client secret instead of a generated one");
        var grantTypes = CliOptions.Repeatable("--grant-type", "A grant type: authorization_code, refresh_token, client_credentials, implicit, urn:ietf:params:oauth:grant-type:jwt-bearer, urn:ietf:params:oauth:grant-type:device_code");
        var responseTypes = CliOptions.Repeatable("--response-type", "A response type: code, id_token, token, …");
        var scopes = CliOptions.Repeatable("--scope", "A scope the client may request; joined with spaces");
        var audiences = CliOptions.Repeatable("--audience", "An audience the client may request");
        var redirectUris = CliOptions.Repeatable("--redirect-uri", "An allowed redirect URI");
        var postLogout = CliOptions.Repeatable("--post-logout-callback", "An allowed post-logout redirect URI");
        var corsOrigins = CliOptions.Repeatable("--allowed-cors-origin", "An origin allowed to call the token endpoint from a browser");
        var authMethod = CliOptions.Choice("--token-endpoint-auth-method", "How the client authenticates at the token endpoint",
            "client_secret_basic", "client_secret_post", "private_key_jwt", "none");
        var strategy = CliOptions.Choice("--access-token-strategy", "The access token format for this client (default: the project's)", "opaque", "jwt");
        var subjectType = CliOptions.Choice("--subject-type", "The subject identifier type", "public", "pairwise");
        var sectorUri = CliOptions.Text("--sector-identifier-uri", "The sector identifier URI for pairwise subjects");
        var skipConsent = new Option<bool>("--skip-consent") { Description = "Skip the consent screen for this client" };
        var skipLogoutConsent = new Option<bool>("--skip-logout-consent") { Description = "Skip the logout confirmation for this client" };
        var metadata = CliOptions.Text("--metadata", "Metadata as a JSON object");
        var owner = CliOptions.Text("--owner", "The client's owner");
        var contacts = CliOptions.Repeatable("--contact", "A contact for the client");
        var clientUri = CliOptions.Text("--client-uri", "The client's home page");
        var logoUri = CliOptions.Text("--logo-uri", "The client's logo");
        var policyUri = CliOptions.Text("--policy-uri", "The client's privacy policy");
        var tosUri = CliOptions.Text("--tos-uri", "The client's terms of service");
        var jwksUri = CliOptions.Text("--jwks-uri", "Where the client publishes its keys (for private_key_jwt)");
        var frontchannel = CliOptions.Text("--frontchannel-logout-callback", "The client's front-channel logout URI");
        var backchannel = CliOptions.Text("--backchannel-logout-callback", "The client's back-channel logout URI");
        var frontchannelSession = new Option<bool>("--frontchannel-logout-session-required") { Description = "Send iss and sid to the front-channel logout URI" };
        var backchannelSession = new Option<bool>("--backchannel-logout-session-required") { Description = "Require the sid in the back-channel logout token" };

        var command = new Command("oauth2-client", "Create an OAuth2 client in a project; the answer carries its secret, shown only once")
        {
            project, name, id, secret, grantTypes, responseTypes, scopes, audiences, redirectUris, postLogout, corsOrigins,
            authMethod, strategy, subjectType, sectorUri, skipConsent, skipLogoutConsent, metadata, owner, contacts,
            clientUri, logoUri, policyUri, tosUri, jwksUri, frontchannel, backchannel, frontchannelSession, backchannelSession,
        };
        command.Aliases.Add("client");
        return command.WithHandler(host, async (ctx, ct) =>
        {
            var client = new OAuth2Client
            {
                ClientId = ctx.Value(id),
                ClientName = ctx.Value(name),
                ClientSecret = ctx.Value(secret),
                GrantTypes = OrNull(ctx.Values(grantTypes)),
                ResponseTypes = OrNull(ctx.Values(responseTypes)),
                Scope = OrNull(ctx.Values(scopes)) is { } s ? string.Join(' ', s) : null,
                Audience = OrNull(ctx.Values(audiences)),
                RedirectUris = OrNull(ctx.Values(redirectUris)),
                PostLogoutRedirectUris = OrNull(ctx.Values(postLogout)),
                AllowedCorsOrigins = OrNull(ctx.Values(corsOrigins)),
                TokenEndpointAuthMethod = ctx.Value(authMethod),
                AccessTokenStrategy = ctx.Value(strategy),
                SubjectType = ctx.Value(subjectType),
                SectorIdentifierUri = ctx.Value(sectorUri),
                SkipConsent = ctx.Value(skipConsent) ? true : null,
                SkipLogoutConsent = ctx.Value(skipLogoutConsent) ? true : null,
                Metadata = Metadata(ctx.Value(metadata)),
                Owner = ctx.Value(owner),
                Contacts = OrNull(ctx.Values(contacts)),
                ClientUri = ctx.Value(clientUri),
                LogoUri = ctx.Value(logoUri),
                PolicyUri = ctx.Value(policyUri),
                TosUri = ctx.Value(tosUri),
                JwksUri = ctx.Value(jwksUri),
                FrontchannelLogoutUri = ctx.Value(frontchannel),
                BackchannelLogoutUri = ctx.Value(backchannel),
                FrontchannelLogoutSessionRequired = ctx.Value(frontchannelSession) ? true : null,
                BackchannelLogoutSessionRequired = ctx.Value(backchannelSession) ? true : null,
            };
            var admin = ctx.Admin();
            var slug = await ctx.ProjectSlugAsync(project, ct);
            var created = await admin.CreateOAuth2ClientAsync(slug, client, ct);
            ctx.Output.Item(created, OAuth2ClientView.Fields(created), created.ClientId);
        });
    }

    static IReadOnlyList<string>? OrNull(IReadOnlyList<string> values) => values.Count == 0 ? null : values;

    static JsonNode? Metadata(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
            return null;
        try
        {
            return JsonNode.Parse(json) as JsonObject ?? throw CliException.UsageError("--metadata must be a JSON object");
        }
        catch (JsonException)
        {
            throw CliException.UsageError("--metadata is not valid JSON");
        }
    }
}
