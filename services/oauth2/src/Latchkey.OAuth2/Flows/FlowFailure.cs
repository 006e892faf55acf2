using Latchkey.ServiceDefaults;

namespace Latchkey.OAuth2.Flows;

/// <summary>A refused flow step: why, the named error an API caller answers, and for a handled request where the browser should go.</summary>
public sealed record FlowFailure(FlowOutcome Outcome, OAuth2Error Error, string? RequestUrl = null)
{
    public static FlowFailure Handled(string requestUrl, OAuth2Error error) => new(FlowOutcome.AlreadyHandled, error, requestUrl);
}
