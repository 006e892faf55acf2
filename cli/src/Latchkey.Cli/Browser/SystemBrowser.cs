using System.ComponentModel;
using System.Diagnostics;

namespace Latchkey.Cli.Browser;

/// <summary>Opens a URL in the user's browser when the system can. The URL is printed as well, so failures are ignored.</summary>
static class SystemBrowser
{
    public static void TryOpen(string url)
    {
        try
        {
            using var opener = Process.Start(StartInfo(url));
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or PlatformNotSupportedException)
        {
            // No opener on this system (a server, a container): the printed URL is the way.
        }
    }

    static ProcessStartInfo StartInfo(string url)
    {
        if (OperatingSystem.IsWindows())
            return new ProcessStartInfo(url) { UseShellExecute = true };
        // Whatever xdg-open or open (and the browser they start) print must not mix with the command's own output,
        // which may be JSON on stdout; the URL goes in as an argument, never through the shell's parser.
        var command = OperatingSystem.IsMacOS() ? "open" : "xdg-open";
        return new ProcessStartInfo("/bin/sh", ["-c", $"exec </dev/null >/dev/null 2>&1; exec {command} \"$1\"", "sh", url])
        {
            UseShellExecute = false,
        };
    }
}
