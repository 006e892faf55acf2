using System.Diagnostics.CodeAnalysis;

namespace Latchkey.OAuth2.Flows;

/// <summary>A flow step's value, or why it was refused. Either converts implicitly, so a step returns either one.</summary>
public readonly record struct FlowResult<T>
{
    readonly T? _value;

    FlowResult(T? value, FlowFailure? failure) => (_value, Failure) = (value, failure);

    public FlowFailure? Failure { get; }

    public bool Failed([NotNullWhen(true)] out FlowFailure? failure, [MaybeNullWhen(true)] out T value)
    {
        failure = Failure;
        value = _value!;
        return failure is not null;
    }

    public static implicit operator FlowResult<T>(T value) => new(value, null);

    public static implicit operator FlowResult<T>(FlowFailure failure) => new(default, failure);
}
