using Latchkey.OAuth2;
using Latchkey.OAuth2.Storage;
using Latchkey.Storage;

if (SchemaMigration.IsCommand(args))
    return await SchemaMigration.RunAsync(args, OAuth2Migration.Stores, Console.Out, Console.Error);
if (JanitorCommand.IsCommand(args))
    return await JanitorCommand.RunAsync(args, Console.Out, Console.Error);
await OAuth2App.Build(args).RunAsync();
return 0;
