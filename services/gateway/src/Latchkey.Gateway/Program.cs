using Latchkey.Gateway;

await GatewayApp.Build(args).RunAsync();
