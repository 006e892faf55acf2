using Latchkey.ServiceDefaults;

namespace Latchkey.Console;

/// <summary>
/// The web console. For now one page that points at the API and CLI; the full console (projects, clients,
/// keys, settings, usage) is issue #4.
/// </summary>
public static class ConsoleApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddLatchkeyDefaults("console", defaultPort: 4433);
        var app = builder.Build();
        app.MapLatchkeyDefaults();
        app.MapGet("/", (PlatformSettings settings) => Results.Content(Page(settings), "text/html; charset=utf-8"));
        return app;
    }

    static string Page(PlatformSettings settings)
    {
        var api = $"{settings.PublicUrl.Scheme}://api.{settings.Domain}{(settings.PublicUrl.IsDefaultPort ? "" : ":" + settings.PublicUrl.Port)}";
        return $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Latchkey console</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:4rem auto;padding:0 1rem;color:#1f2937}
            code,pre{background:#f3f4f6;border-radius:4px;padding:.1rem .3rem}pre{padding:1rem;overflow:auto}</style></head>
            <body><h1>Latchkey</h1>
            <p>The web console is on its way. Until then, manage projects with the <code>latchkey</code> CLI or the API at <code>{{api}}</code>:</p>
            <pre>export LATCHKEY_WORKSPACE_KEY=$(cat .local/workspace-api-key)
            latchkey create project --name "My project"</pre>
            </body></html>
            """;
    }
}
