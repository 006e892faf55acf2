using System.Globalization;
using Latchkey.Client;

namespace Latchkey.Cli.Output;

/// <summary>Introspection columns as the Ory CLI's: ACTIVE, SUBJECT, CLIENT ID, SCOPE, EXPIRY, TOKEN USE.</summary>
static class IntrospectionView
{
    public static string Active(IntrospectedToken t) => t.Active.ToString(CultureInfo.InvariantCulture).ToLowerInvariant();

    public static IReadOnlyList<KeyValuePair<string, string?>> Fields(IntrospectedToken t) =>
    [
        new("ACTIVE", Active(t)),
        new("SUBJECT", t.Sub),
        new("CLIENT ID", t.ClientId),
        new("SCOPE", t.Scope),
        new("EXPIRY", Printer.UnixTime(t.Exp)),
        new("TOKEN USE", t.TokenUse),
    ];
}
