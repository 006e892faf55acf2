using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Latchkey.Console.Pages;

[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public int Code { get; private set; }
    public string Title { get; private set; } = "";
    public string Explanation { get; private set; } = "";

    public void OnGet() => Describe();

    public void OnPost() => Describe();

    // The code comes from the route by hand: a bound parameter would be looked for in the form too, and a form
    // too large to read (the 413 this page explains) left it 0.
    void Describe()
    {
        var code = int.TryParse(RouteData.Values["code"]?.ToString(), CultureInfo.InvariantCulture, out var routed) ? routed : 500;
        Code = code;
        (Title, Explanation) = code switch
        {
            404 => ("Not found", "There is nothing here, or it belongs to another workspace."),
            503 => ("Latchkey is unavailable", "The console could not reach the platform API. Try again in a moment."),
            413 => ("Too large", "The form was larger than the console accepts. Shorten it and try again."),
            400 => ("Bad request", "The form could not be accepted. Reload the page and try again."),
            _ => ("Something went wrong", "The request could not be completed."),
        };
    }
}
