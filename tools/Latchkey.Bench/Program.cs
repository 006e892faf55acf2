using Latchkey.Bench;

return await BenchCommand.RunAsync(args, Environment.GetEnvironmentVariable);
