using Latchkey.OAuth2;

await OAuth2App.Build(args).RunAsync();
