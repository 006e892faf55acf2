using System.CommandLine;
using Latchkey.Client;

namespace Latchkey.Cli.Commands;

/// <summary>
/// <c>latchkey revoke token &lt;token&gt; --project P --client-id ID --client-secret S</c> → <c>POST /oauth2/revoke</c>
/// (RFC 7009). Prints the token revoked, as the Ory CLI does.
/// </summary>
static class RevokeTokenCommand
{
    public static Command Create(CliHost host)
    {
        var project = CliOptions.Project();
        var token = new Argument<string>("token") { Description = "The access or refresh token to revoke" };
        var clientId = CliOptions.ClientId();
        var clientSecret = CliOptions.ClientSecret();
        var authMethod = CliOptions.Choice("--token-endpoint-auth-method", "How to authenticate the client (default client_secret_basic)",
            "client_secret_basic", "client_secret_post");
        var command = new Command("token", "Revoke an access or refresh token, as the client it was issued to")
        {
            token, project, clientId, clientSecret, authMethod,
        };
        return command.WithHandler(host, async (ctx, ct) =>
        {
            var id = ctx.Require(ctx.Value(clientId), "--client-id", PerformClientCredentialsCommand.ClientIdVariable);
            var secret = ctx.Require(ctx.Value(clientSecret), "--client-secret", PerformClientCredentialsCommand.ClientSecretVariable);
            var slug = await ctx.ProjectSlugAsync(project, ct);
            var method = ctx.Value(authMethod) == "client_secret_post" ? ClientAuthMethod.ClientSecretPost : ClientAuthMethod.ClientSecretBasic;
            await ctx.Client.RevokeAsync(slug, ctx.Value(token)!, id, secret, method, ct);
            ctx.Output.Ids([ctx.Value(token)!]);
        });
    }
}
