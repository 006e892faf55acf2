using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Latchkey.Console.Pages;

[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public int Code { get; private set; }
    public string Title { get; private set; } = "";
    public string Explanation { get; private set; } = "";

    public void OnGet(int code) => Describe(code);

    public void OnPost(int code) => Describe(code);

    void Describe(int code)
    {
        Code = code;
        (Title, Explanation) = code switch
        {
            404 => ("Not found", "There is nothing here, or it belongs to another workspace."),
            503 => ("Latchkey is unavailable", "The console could not reach the platform API. Try again in a moment."),
            400 => ("Bad request", "The form could not be accepted. Reload the page and try again."),
            _ => ("Something went wrong", "The request could not be completed."),
        };
    }
}
