using Latchkey.ControlPlane;

await ControlPlaneApp.Build(args).RunAsync();
