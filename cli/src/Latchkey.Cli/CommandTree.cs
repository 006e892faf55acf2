using System.CommandLine;
using Latchkey.Cli.Commands;

namespace Latchkey.Cli;

/// <summary>
/// The command tree, verb then noun as in the Ory CLI (<c>latchkey create project</c>). Each noun lives in
/// <c>Commands/&lt;Verb&gt;&lt;Noun&gt;Command.cs</c>; a new command is one file plus one line here.
/// </summary>
static class CommandTree
{
    public static RootCommand Build(CliHost host)
    {
        var root = new RootCommand(
            "latchkey: manage Latchkey projects and their OAuth2 servers.\n" +
            "Environment: LATCHKEY_PUBLIC_URL (default http://localhost:4430), LATCHKEY_DOMAIN, LATCHKEY_WORKSPACE_KEY, " +
            "LATCHKEY_PROJECT_API_KEY, LATCHKEY_PROJECT.")
        {
            host.Format,
            host.Quiet,
        };

        root.Add(Verb("create", "Create a resource",
            CreateProjectCommand.Create(host),
            CreateProjectApiKeyCommand.Create(host),
            CreateOAuth2ClientCommand.Create(host),
            CreateJwkCommand.Create(host),
            CreateJwtBearerIssuerCommand.Create(host)));

        root.Add(Verb("get", "Show a resource",
            GetProjectCommand.Create(host),
            GetOAuth2ClientCommand.Create(host),
            GetJwkCommand.Create(host),
            GetJwtBearerIssuerCommand.Create(host)));

        root.Add(Verb("list", "List resources",
            ListProjectsCommand.Create(host),
            ListProjectApiKeysCommand.Create(host),
            ListOAuth2ClientsCommand.Create(host),
            ListJwtBearerIssuersCommand.Create(host)));

        root.Add(Verb("update", "Replace a resource",
            UpdateOAuth2ClientLifespansCommand.Create(host)));

        root.Add(Verb("patch", "Change a resource with JSON Patch",
            PatchProjectCommand.Create(host)));

        root.Add(Verb("delete", "Delete a resource",
            DeleteProjectCommand.Create(host),
            DeleteProjectApiKeyCommand.Create(host),
            DeleteOAuth2ClientCommand.Create(host),
            DeleteAccessTokensCommand.Create(host),
            DeleteJwkCommand.Create(host),
            DeleteJwtBearerIssuerCommand.Create(host),
            DeleteOAuth2ClientRotatedSecretsCommand.Create(host)));

        root.Add(Verb("perform", "Run an OAuth2 flow",
            PerformClientCredentialsCommand.Create(host),
            PerformAuthorizationCodeCommand.Create(host),
            PerformDeviceCodeCommand.Create(host)));

        root.Add(Verb("rotate", "Replace a secret with a new one",
            RotateOAuth2ClientSecretCommand.Create(host)));

        root.Add(Verb("introspect", "Introspect a token",
            IntrospectTokenCommand.Create(host)));

        root.Add(Verb("revoke", "Revoke a token",
            RevokeTokenCommand.Create(host)));

        return root;
    }

    static Command Verb(string name, string description, params Command[] nouns)
    {
        var verb = new Command(name, description);
        foreach (var noun in nouns)
            verb.Add(noun);
        return verb;
    }
}
