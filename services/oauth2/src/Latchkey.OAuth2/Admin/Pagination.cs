using System.Globalization;
using Latchkey.ServiceDefaults;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.WebUtilities;

namespace Latchkey.OAuth2.Admin;

/// <summary>
/// Hydra's <c>page_size</c> and <c>page_token</c> for admin lists. Our page tokens are page numbers; a token
/// that is not one, or names a page past the last a list can have, is a 400 (Hydra: "Unable to parse
/// pagination parameters"), never an overflowing offset.
/// </summary>
public readonly record struct Pagination(int Size, int Page)
{
    public int Offset => Size * Page;

    /// <summary>Page size clamped to [1, <paramref name="maxSize"/>]; the page must keep the offset an int.</summary>
    public static (Pagination Page, OAuth2Error? Error) From(int? pageSize, string? pageToken, int defaultSize, int maxSize)
    {
        var size = Math.Clamp(pageSize ?? defaultSize, 1, maxSize);
        if (string.IsNullOrEmpty(pageToken)) return (new(size, 0), null);
        if (!int.TryParse(pageToken, NumberStyles.None, CultureInfo.InvariantCulture, out var page))
            return (default, AdminErrors.UnknownPageToken);
        // The offset of the page's first item, and that of the next page, must fit the database's offset.
        if ((long)(page + 1L) * size > int.MaxValue)
            return (default, AdminErrors.PageTokenPastEnd);
        return (new(size, page), null);
    }

    /// <summary>
    /// Hydra's <c>Link</c> header (ory/x keysetpagination): a <c>first</c> link, and a <c>next</c> link unless this
    /// is the last page, each the request's own path and query (so its filters) with <c>page_size</c> and
    /// <c>page_token</c> set.
    /// </summary>
    public static string LinkHeader(HttpRequest request, int size, int page, bool hasNext)
    {
        string Link(string rel, int target)
        {
            var query = QueryHelpers.ParseQuery(request.QueryString.Value);
            query["page_size"] = size.ToString(CultureInfo.InvariantCulture);
            query["page_token"] = target.ToString(CultureInfo.InvariantCulture);
            var builder = new QueryBuilder(query.SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string>(p.Key, v ?? ""))));
            return $"<{request.PathBase}{request.Path}{builder.ToQueryString()}>; rel=\"{rel}\"";
        }
        return hasNext ? Link("first", 0) + "," + Link("next", page + 1) : Link("first", 0);
    }
}
