using Latchkey.Console;

await ConsoleApp.Build(args).RunAsync();
