using Spectre.Console;
using Spectre.Console.Rendering;

namespace Latchkey.Cli.Output;

/// <summary>
/// Borderless, colourless, never-wrapping tables in the Ory CLI's layout: a list has a header row,
/// a single item is printed as <c>KEY  value</c> lines. Tokens stay on one line so they can be copied.
/// </summary>
static class TextTable
{
    // Wide enough that no cell is ever wrapped; a table only takes the width its cells need.
    const int UnboundedWidth = 100_000;
    const string None = "<none>";

    public static void WriteList(TextWriter writer, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows)
    {
        var table = NewTable();
        foreach (var header in headers)
            table.AddColumn(Column(header));
        foreach (var row in rows)
            table.AddRow(row.Select(Cell));
        Write(writer, table);
    }

    public static void WriteItem(TextWriter writer, IReadOnlyList<KeyValuePair<string, string?>> fields)
    {
        var table = NewTable().HideHeaders();
        table.AddColumn(Column(""));
        table.AddColumn(Column(""));
        foreach (var (key, value) in fields)
            table.AddRow(new Text(key), Cell(value));
        Write(writer, table);
    }

    static Table NewTable() => new Table().Border(TableBorder.None);

    static TableColumn Column(string header) => new TableColumn(new Text(header)).NoWrap().PadLeft(0).PadRight(3);

    static Text Cell(string? value) => new(string.IsNullOrEmpty(value) ? None : value.ReplaceLineEndings(" "));

    static void Write(TextWriter writer, IRenderable table)
    {
        using var buffer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(buffer),
            Enrichment = new ProfileEnrichment { UseDefaultEnrichers = false },
        });
        console.Profile.Width = UnboundedWidth;
        console.Write(table);
        foreach (var line in buffer.ToString().ReplaceLineEndings("\n").Split('\n'))
        {
            var trimmed = line.TrimEnd();
            if (trimmed.Length > 0)
                writer.WriteLine(trimmed);
        }
    }
}
