using System.Text;
using OpenIddict.Server;

namespace Latchkey.OAuth2.Tests.Server;

/// <summary>
/// The handler list as text: one block per event that has a handler of ours, all its handlers in the order
/// OpenIddict runs them, ours marked <c>*</c>. Orders are left out on purpose: only who runs before whom matters.
/// </summary>
static class PipelineSnapshot
{
    public static string Render(IEnumerable<OpenIddictServerHandlerDescriptor> handlers)
    {
        var text = new StringBuilder();
        var events = handlers.GroupBy(h => h.ContextType)
            .Where(g => g.Any(h => h.Type == OpenIddictServerHandlerType.Custom))
            .OrderBy(g => g.Key.Name, StringComparer.Ordinal);
        foreach (var context in events)
        {
            text.Append(context.Key.Name).Append('\n');
            // OpenIddict runs handlers by order; handlers of equal order run in no defined order, so they are listed by name.
            foreach (var handler in context.OrderBy(h => h.Order).ThenBy(h => NameOf(h.ServiceDescriptor.ServiceType), StringComparer.Ordinal))
            {
                var marker = handler.Type == OpenIddictServerHandlerType.Custom ? "* " : "  ";
                text.Append("  ").Append(marker).Append(NameOf(handler.ServiceDescriptor.ServiceType)).Append('\n');
            }
        }
        return text.ToString();
    }

    /// <summary>Lines only in <paramref name="expected"/> as <c>-</c>, only in <paramref name="actual"/> as <c>+</c>, each under its event.</summary>
    public static string Diff(string expected, string actual)
    {
        string[] before = expected.Split('\n'), after = actual.Split('\n');
        var lcs = new int[before.Length + 1, after.Length + 1];
        for (var i = before.Length - 1; i >= 0; i--)
            for (var j = after.Length - 1; j >= 0; j--)
                lcs[i, j] = before[i] == after[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);

        var diff = new StringBuilder();
        string? currentEvent = null, shownEvent = null;
        void Changed(char sign, string line)
        {
            if (currentEvent != shownEvent) diff.Append("  ").Append(shownEvent = currentEvent).Append('\n');
            diff.Append(sign).Append(' ').Append(line).Append('\n');
        }
        int x = 0, y = 0;
        while (x < before.Length || y < after.Length)
        {
            if (x < before.Length && y < after.Length && before[x] == after[y])
            {
                if (!before[x].StartsWith(' ')) currentEvent = before[x];
                x++;
                y++;
            }
            else if (y < after.Length && (x == before.Length || lcs[x, y + 1] >= lcs[x + 1, y])) Changed('+', after[y++]);
            else Changed('-', before[x++]);
        }
        return diff.ToString();
    }

    /// <summary>
    /// <c>OpenIddictServerHandlers.Exchange.ValidateClientIdParameter</c>, <c>TokenHandlers.PrepareTokenEntry</c>,
    /// <c>OpenIddictServerAspNetCoreHandlers.AttachCacheControlHeader&lt;ApplyTokenResponseContext&gt;</c>:
    /// the nesting that says whose handler it is, no namespace.
    /// </summary>
    static string NameOf(Type type)
    {
        var name = type.Name.Split('`')[0];
        if (type.IsGenericType) name += "<" + string.Join(", ", type.GetGenericArguments().Select(a => a.Name)) + ">";
        return type.DeclaringType is { } outer ? NameOf(outer) + "." + name : name;
    }
}
