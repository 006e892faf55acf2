namespace Latchkey.Storage;

/// <summary>
/// Tables of the control plane (registered in its <c>ControlPlaneSchema</c>) that the oauth2 janitor prunes by
/// name, without knowing their document types: they are in the shared schema <c>latchkey</c>.
/// </summary>
public static class ConsoleTables
{
    public const string Schema = "latchkey";

    /// <summary>The console's sign-in attempts, an <see cref="AttemptCounter"/> table.</summary>
    public const string SignInFailuresName = "console_sign_in_failures";

    public const string SignInFailures = Schema + "." + SignInFailuresName;

    /// <summary>Marten's table of the control plane's <c>AccountSession</c> documents (one per console session key, same id).</summary>
    public const string AccountSessions = Schema + ".mt_doc_accountsession";
}
