namespace Latchkey.Console.Platform;

/// <summary>
/// Notices a redirect asks for (<c>?welcome=1</c>, <c>?saved=true</c>). Read from the query by hand, not model-bound:
/// a bound bool rejects "1", and since a form posts back to its page's URL, the flag's binding error made
/// every form on that page fail validation without a word.
/// </summary>
public static class QueryFlag
{
    public static bool IsSet(HttpRequest request, string name) =>
        HttpMethods.IsGet(request.Method) && request.Query[name].ToString().ToLowerInvariant() is "1" or "true";
}
