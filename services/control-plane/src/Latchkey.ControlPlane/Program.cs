using Latchkey.ControlPlane;
using Latchkey.Storage;

if (SchemaMigration.IsCommand(args))
    return await SchemaMigration.RunAsync(args, ControlPlaneMigration.Stores, Console.Out, Console.Error);
await ControlPlaneApp.Build(args).RunAsync();
return 0;
