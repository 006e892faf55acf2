using System.Collections.Immutable;
using OpenIddict.Abstractions;

namespace Latchkey.OAuth2.Tokens;

/// <summary>The <c>audience</c> parameter, as every grant and the authorization endpoint read it.</summary>
public static class Audiences
{
    /// <summary>Hydra accepts <c>audience</c> space-separated or repeated.</summary>
    public static string[] Requested(OpenIddictRequest request) =>
        request.GetParameter("audience") is { } value
            ? ((ImmutableArray<string?>?)value ?? []).SelectMany(a => (a ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)).Distinct().ToArray()
            : [];
}
