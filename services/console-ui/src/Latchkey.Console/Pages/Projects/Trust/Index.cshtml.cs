using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Latchkey.Client;
using Latchkey.Console.Platform;
using Microsoft.AspNetCore.Mvc;

namespace Latchkey.Console.Pages.Projects.Trust;

/// <summary>
/// The project's trust relationships for the jwt-bearer grant (RFC 7523): issuers whose signed assertions the
/// project exchanges for tokens, through Hydra's trust admin API (<c>/admin/trust/grants/jwt-bearer/issuers</c>).
/// </summary>
public sealed class IndexModel(PlatformApi api) : ProjectPageModel(api)
{
    public const string DateFormat = "yyyy-MM-dd'T'HH:mm";

    protected override string Section => "trust";

    public IReadOnlyList<TrustedIssuer> Issuers { get; private set; } = [];

    [BindProperty]
    public TrustForm Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? Added { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Deleted { get; set; }

    public string? Notice => HttpMethods.IsGet(Request.Method)
        ? Added is not null ? $"Trusted issuer “{Added}” added." : Deleted is not null ? $"Trust relationship with “{Deleted}” deleted." : null
        : null;

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadProjectAsync(ct);
        Input = new TrustForm { ExpiresAt = DateTimeOffset.UtcNow.AddYears(1).ToString(DateFormat, CultureInfo.InvariantCulture) };
        await LoadIssuersAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadProjectAsync(ct);
        var body = Input.ToBody(ModelState);
        if (body is not null)
        {
            if (await Api.AddTrustedIssuerAsync(User, Project.Slug, body, ct) is not { } error)
                return Redirect($"/projects/{Project.Id}/trust?added={Uri.EscapeDataString(Input.Issuer!.Trim())}");
            if (error.Status == 401) throw error;
            ModelState.AddModelError(FieldOf(error), Specific(error.Description));
        }
        await LoadIssuersAsync(ct);
        return Page();
    }

    async Task LoadIssuersAsync(CancellationToken ct) =>
        Issuers = (await Api.TrustedIssuersAsync(User, Project.Slug, ct)).OrderByDescending(t => t.CreatedAt).ToList();

    /// <summary>The trust API names the field it refuses ("Field 'jwk' must …"); show the message next to it.</summary>
    static string FieldOf(LatchkeyApiException error)
    {
        var text = error.Description;
        return text switch
        {
            _ when text.Contains("'jwk", StringComparison.Ordinal) => "Input.Jwk",
            _ when text.Contains("'expires_at'", StringComparison.Ordinal) => "Input.ExpiresAt",
            _ when text.Contains("'subject'", StringComparison.Ordinal) => "Input.Subject",
            _ when text.Contains("'issuer'", StringComparison.Ordinal) => "Input.Issuer",
            _ when text.Contains("'scope'", StringComparison.Ordinal) => "Input.Scope",
            _ => "",
        };
    }

    /// <summary>
    /// The API's reason without OAuth2's generic lead ("The request is missing a required parameter, … malformed."):
    /// the sentences from the first one that names a field or value.
    /// </summary>
    static string Specific(string description)
    {
        var sentences = description.Split(". ");
        var first = Array.FindIndex(sentences, s => s.Contains('\'', StringComparison.Ordinal));
        return first <= 0 ? description : string.Join(". ", sentences[first..]);
    }

    public sealed class TrustForm
    {
        public string? Issuer { get; set; }
        public string? Subject { get; set; }
        public bool AllowAnySubject { get; set; }
        public string? Scope { get; set; }
        public string? Jwk { get; set; }

        /// <summary>A <c>datetime-local</c> value, read as UTC.</summary>
        public string? ExpiresAt { get; set; }

        /// <summary>The API's body, or null with the reasons in <paramref name="errors"/> when the form cannot make one.</summary>
        public JsonObject? ToBody(Microsoft.AspNetCore.Mvc.ModelBinding.ModelStateDictionary errors)
        {
            var jwk = ReadJwk(Jwk, out var jwkError);
            if (jwkError is not null) errors.AddModelError("Input.Jwk", jwkError);
            DateTimeOffset expiresAt = default;
            if (string.IsNullOrWhiteSpace(ExpiresAt))
                errors.AddModelError("Input.ExpiresAt", "Give the date the trust ends.");
            else if (!DateTimeOffset.TryParse(ExpiresAt.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out expiresAt))
                errors.AddModelError("Input.ExpiresAt", $"'{ExpiresAt}' is not a date and time such as 2030-01-31T12:00.");
            if (!errors.IsValid) return null;

            var scope = new JsonArray();
            foreach (var s in (Scope ?? "").Split([' ', '\n', '\r', '\t', ','], StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal)) scope.Add(s);
            return new JsonObject
            {
                ["issuer"] = Issuer?.Trim() ?? "",
                // Both a subject and "any subject" is ambiguous: the API refuses it, and the form says why at the subject.
                ["subject"] = Subject?.Trim() ?? "",
                ["allow_any_subject"] = AllowAnySubject,
                ["scope"] = scope,
                ["jwk"] = jwk,
                ["expires_at"] = expiresAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            };
        }

        /// <summary>A JWK as JSON; a JWKS holding exactly one key is taken as that key.</summary>
        static JsonObject? ReadJwk(string? text, out string? error)
        {
            error = null;
            if (string.IsNullOrWhiteSpace(text))
            {
                error = "Paste the issuer's public key as a JWK.";
                return null;
            }
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(text);
            }
            catch (JsonException ex)
            {
                error = $"The public key is not valid JSON: {ex.Message}";
                return null;
            }
            if (node is JsonObject { } set && set["keys"] is JsonArray { Count: 1 } keys && keys[0] is JsonObject only)
                return (JsonObject)only.DeepClone();
            if (node is JsonObject key) return key;
            error = "The public key must be a JSON object: a JWK such as {\"kty\": \"RSA\", \"kid\": \"…\", \"n\": \"…\", \"e\": \"AQAB\"}.";
            return null;
        }
    }
}
