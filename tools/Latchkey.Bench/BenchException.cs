namespace Latchkey.Bench;

/// <summary>An expected failure (a bad knob, a flow that went somewhere else): one error line, exit code 1.</summary>
sealed class BenchException(string message) : Exception(message);
