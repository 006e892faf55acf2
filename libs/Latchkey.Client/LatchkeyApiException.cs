using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Latchkey.Client;

/// <summary>
/// A non-success answer from Latchkey. Understands Ory's envelope <c>{"error":{"code","status","message","reason"}}</c>,
/// OAuth2's <c>{"error","error_description"}</c> and ASP.NET problem details;
/// <see cref="Exception.Message"/> is one human line such as <c>401 invalid_client: Client authentication failed.</c>
/// </summary>
public sealed class LatchkeyApiException : Exception
{
    public LatchkeyApiException(int status, string error, string description)
        : base(Format(status, error, description))
    {
        Status = status;
        Error = error;
        Description = description;
    }

    /// <summary>The HTTP status code.</summary>
    public int Status { get; }

    /// <summary>The stable error code: OAuth2's <c>error</c>, or Ory's <c>error.id</c>/<c>error.status</c>.</summary>
    public string Error { get; }

    /// <summary>The human explanation: <c>error_description</c>, or Ory's <c>message</c> plus <c>reason</c>.</summary>
    public string Description { get; }

    /// <summary>Ory's <c>error.reason</c>, when the envelope had one.</summary>
    public string? Reason { get; init; }

    /// <summary>The raw response body, for diagnostics.</summary>
    public string? Body { get; init; }

    static string Format(int status, string error, string description)
    {
        var head = string.IsNullOrEmpty(error)
            ? status.ToString(CultureInfo.InvariantCulture)
            : $"{status.ToString(CultureInfo.InvariantCulture)} {error}";
        return string.IsNullOrWhiteSpace(description) ? head : $"{head}: {description}";
    }

    /// <summary>Builds the exception from a failed response, whatever error shape its body has.</summary>
    public static async Task<LatchkeyApiException> FromResponseAsync(HttpResponseMessage response, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(response);
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync(ct);
        return Parse(status, response.ReasonPhrase, body);
    }

    /// <summary>Parses an error body; falls back to the reason phrase and the body's first line.</summary>
    public static LatchkeyApiException Parse(int status, string? reasonPhrase, string? body)
    {
        var fallbackError = string.IsNullOrWhiteSpace(reasonPhrase) ? DefaultReason(status) : reasonPhrase;
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                if (FromJson(status, document.RootElement, body) is { } parsed)
                    return parsed;
            }
            catch (JsonException)
            {
                // Not JSON (a proxy's HTML page, say): report its first line below.
            }
        }

        // An HTML error page (from a proxy, say) says nothing the status line does not.
        var description = body?.TrimStart().StartsWith('<') == true ? "" : FirstLine(body);
        return new LatchkeyApiException(status, fallbackError, description) { Body = body };
    }

    static LatchkeyApiException? FromJson(int status, JsonElement root, string body)
    {
        if (root.ValueKind != JsonValueKind.Object)
            return null;

        // Ory: {"error": {"code", "status", "id", "message", "reason"}}
        if (root.TryGetProperty("error", out var envelope) && envelope.ValueKind == JsonValueKind.Object)
        {
            var code = envelope.TryGetProperty("code", out var c) && c.TryGetInt32(out var n) ? n : status;
            var error = String(envelope, "id") ?? String(envelope, "status") ?? DefaultReason(code);
            var message = String(envelope, "message") ?? "";
            var reason = String(envelope, "reason");
            var description = reason is null || message.Contains(reason, StringComparison.Ordinal)
                ? message
                : string.IsNullOrEmpty(message) ? reason : $"{message.TrimEnd().TrimEnd('.')}: {reason}";
            return new LatchkeyApiException(code, error, description) { Reason = reason, Body = body };
        }

        // OAuth2 (RFC 6749 §5.2), plus Hydra's legacy error_hint.
        if (String(root, "error") is { } oauthError)
        {
            var description = String(root, "error_description") ?? String(root, "message") ?? "";
            if (String(root, "error_hint") is { } hint && !description.Contains(hint, StringComparison.Ordinal))
                description = $"{description.TrimEnd()} {hint}".Trim();
            return new LatchkeyApiException(status, oauthError, description) { Body = body };
        }

        // ASP.NET Core problem details (RFC 9457).
        if (String(root, "title") is { } title)
        {
            var detail = String(root, "detail") ?? title;
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                var first = errors.EnumerateObject()
                    .SelectMany(p => p.Value.ValueKind == JsonValueKind.Array
                        ? p.Value.EnumerateArray().Select(e => $"{p.Name}: {e}")
                        : [$"{p.Name}: {p.Value}"])
                    .FirstOrDefault();
                if (first is not null)
                    detail = $"{detail.TrimEnd()} {first}";
            }
            return new LatchkeyApiException(status, DefaultReason(status), detail) { Body = body };
        }

        return null;
    }

    static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s
            ? s
            : null;

    static string DefaultReason(int status) =>
        Enum.IsDefined((HttpStatusCode)status) ? SplitWords(((HttpStatusCode)status).ToString()) : "error";

    static string SplitWords(string pascal) =>
        string.Concat(pascal.Select((ch, i) => i > 0 && char.IsUpper(ch) ? " " + ch : ch.ToString()));

    static string FirstLine(string? body)
    {
        var line = body?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
        return line.Length > 200 ? line[..200] + "…" : line;
    }
}
