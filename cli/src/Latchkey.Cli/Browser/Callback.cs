namespace Latchkey.Cli.Browser;

/// <summary>
/// One request the browser made to the redirect URI: its query parameters, and the page it is answered with once
/// the command has checked it (the browser waits meanwhile).
/// </summary>
sealed class Callback(IReadOnlyDictionary<string, string> query)
{
    readonly TaskCompletionSource<CallbackPage> _page = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A query parameter's first value, or null when absent.</summary>
    public string? this[string name] => query.TryGetValue(name, out var value) ? value : null;

    public Task<CallbackPage> Page => _page.Task;

    public void Answer(CallbackPage page) => _page.TrySetResult(page);
}
