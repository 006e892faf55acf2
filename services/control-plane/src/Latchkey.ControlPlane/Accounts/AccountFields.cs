using System.Text.Json.Nodes;

namespace Latchkey.ControlPlane.Accounts;

/// <summary>Checks an accounts request body. Each returns the problem, or null and the values.</summary>
internal static class AccountFields
{
    public const int MinPasswordLength = 8;
    const int MaxPasswordLength = 1024;
    const int MaxEmailLength = 254;

    public static string? Read(JsonNode? body, out string email, out string password)
    {
        email = password = "";
        if (body is not JsonObject fields)
            return "The body must be a JSON object such as {\"email\": \"ada@example.com\", \"password\": \"…\"}.";
        if (fields["email"] is not JsonValue emailValue || !emailValue.TryGetValue<string>(out var rawEmail))
            return "'email' is required and must be a string.";
        if (fields["password"] is not JsonValue passwordValue || !passwordValue.TryGetValue<string>(out var rawPassword))
            return "'password' is required and must be a string.";

        email = Normalize(rawEmail);
        if (!IsEmail(email)) return "'email' must be an email address such as ada@example.com.";
        password = rawPassword;
        return null;
    }

    /// <summary>An optional string field: null when absent.</summary>
    public static string? Optional(JsonNode? body, string field, out string? value)
    {
        value = null;
        if (body?[field] is not { } node) return null;
        if (node is not JsonValue text || !text.TryGetValue<string>(out var s)) return $"'{field}' must be a string.";
        if (s.Length > MaxPasswordLength) return $"'{field}' must be at most {MaxPasswordLength} characters long.";
        value = s;
        return null;
    }

    /// <summary>The password rules for a new account; sign-in checks only that one was sent.</summary>
    public static string? NewPassword(string password) =>
        password.Length < MinPasswordLength ? $"'password' must be at least {MinPasswordLength} characters long."
        : password.Length > MaxPasswordLength ? $"'password' must be at most {MaxPasswordLength} characters long."
        : null;

    public static string Normalize(string email) => email.Trim().ToLowerInvariant();

    static bool IsEmail(string email)
    {
        if (email.Length is 0 or > MaxEmailLength || email.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))) return false;
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at == email.LastIndexOf('@') && email.IndexOf('.', at) > at + 1 && !email.EndsWith('.');
    }
}
