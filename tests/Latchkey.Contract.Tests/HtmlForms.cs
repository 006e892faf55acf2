using System.Net;
using System.Text.RegularExpressions;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>A browser without JavaScript: reads a page's form (action and hidden fields) and posts it.</summary>
public static partial class HtmlForms
{
    public sealed record Form(Uri Action, Dictionary<string, string> Fields);

    [GeneratedRegex("<form[^>]*action=\"([^\"]+)\"")]
    private static partial Regex FormAction();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenInput();

    public static Form Parse(Uri page, string html)
    {
        var action = FormAction().Match(html);
        Assert.True(action.Success, "the page has a form: " + html);
        var fields = HiddenInput().Matches(html).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));
        return new Form(new Uri(page, WebUtility.HtmlDecode(action.Groups[1].Value)), fields);
    }

    /// <summary>Posts the form's hidden fields and these values, as pressing its submit button does.</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(HttpClient browser, Form form, params (string Name, string Value)[] values) =>
        await browser.PostAsync(form.Action, new FormUrlEncodedContent(
            form.Fields.Select(f => KeyValuePair.Create(f.Key, f.Value)).Concat(values.Select(v => KeyValuePair.Create(v.Name, v.Value)))));
}
