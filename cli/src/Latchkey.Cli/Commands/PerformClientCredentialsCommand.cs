using System.CommandLine;
using Latchkey.Cli.Output;
using Latchkey.Client;

namespace Latchkey.Cli.Commands;

/// <summary>
/// <c>latchkey perform client-credentials --project P --client-id ID --client-secret S [--scope …] [--audience …]</c>
/// → <c>POST /oauth2/token</c>. With <c>-q</c> it prints only the access token.
/// </summary>
static class PerformClientCredentialsCommand
{
    public const string ClientIdVariable = "OAUTH2_CLIENT_ID";
    public const string ClientSecretVariable = "OAUTH2_CLIENT_SECRET";

    public static Command Create(CliHost host)
    {
        var project = CliOptions.Project();
        var clientId = CliOptions.ClientId();
        var clientSecret = CliOptions.ClientSecret();
        var scopes = CliOptions.Repeatable("--scope", "A scope to request; joined with spaces");
        var audiences = CliOptions.Repeatable("--audience", "An audience to request");
        var authMethod = CliOptions.Choice("--token-endpoint-auth-method", "How to authenticate the client (default client_secret_basic)",
            "client_secret_basic", "client_secret_post");

        var command = new Command("client-credentials", "Get an access token with the OAuth2 client credentials grant")
        {
            project, clientId, clientSecret, scopes, audiences, authMethod,
        };
        return command.WithHandler(host, async (ctx, ct) =>
        {
            var id = ctx.Require(ctx.Value(clientId), "--client-id", ClientIdVariable);
            var secret = ctx.Require(ctx.Value(clientSecret), "--client-secret", ClientSecretVariable);
            var slug = await ctx.ProjectSlugAsync(project, ct);
            var scope = string.Join(' ', ctx.Values(scopes));
            var method = ctx.Value(authMethod) == "client_secret_post" ? ClientAuthMethod.ClientSecretPost : ClientAuthMethod.ClientSecretBasic;

            var token = await ctx.Client.ClientCredentialsAsync(slug, id, secret, scope, ctx.Values(audiences), method, ct);
            ctx.Output.Item(token, TokenView.Fields(token, ctx.Clock.GetUtcNow()), token.AccessToken);
        });
    }
}
