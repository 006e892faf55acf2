using System.Text.Json;
using System.Text.Json.Nodes;
using Latchkey.ServiceDefaults;

namespace Latchkey.ControlPlane.Http;

/// <summary>
/// Reads a request body as JSON, whatever its content type, within a size bound that holds on any
/// host (Kestrel enforces the same limit; an in-memory test server does not). Bad input is a value,
/// never an exception, so it can never surface as a 500.
/// </summary>
internal static class RequestJson
{
    public const int MaxBodyBytes = 1 << 20;

    static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };

    public static async Task<(JsonNode? Body, OryError? Error)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes) return (null, ControlPlaneErrors.BodyTooLarge);

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes) return (null, ControlPlaneErrors.BodyTooLarge);
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0) return (null, ControlPlaneErrors.EmptyBody);

        try
        {
            return (JsonNode.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), documentOptions: Options), null);
        }
        catch (JsonException ex)
        {
            return (null, ControlPlaneErrors.MalformedJson(ex.Message));
        }
    }
}
