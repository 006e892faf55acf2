namespace Latchkey.Bench;

/// <summary>Progress on stderr in the scripts' <c>[latchkey] …</c> shape, so stdout carries only the result table.</summary>
static class Log
{
    public static void Info(string message) => Console.Error.WriteLine($"[latchkey] {message}");

    public static void Error(string message) => Console.Error.WriteLine($"[latchkey] error: {message}");
}
