using System.Collections.Concurrent;
using System.Security.Cryptography;
using Latchkey.OAuth2.Keys;
using Latchkey.Tenancy;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace Latchkey.OAuth2.Server;

/// <summary>
/// One <see cref="OpenIddictServerOptions"/> per project, the multi-tenancy approach OpenIddict's author
/// recommends: OpenIddict reads <c>IOptionsMonitor.CurrentValue</c>, which here is the instance the
/// request's project was resolved to. Each instance is built once per project revision by running
/// OpenIddict's own configuration, then the project's issuer, keys, lifetimes and strategies, then
/// OpenIddict's validation — so a misconfigured project fails loudly at build, not mid-request.
/// </summary>
public sealed class ProjectServerOptions : IOptionsMonitor<OpenIddictServerOptions>
{
    readonly IHttpContextAccessor _http;
    readonly IEnumerable<IConfigureOptions<OpenIddictServerOptions>> _configures;
    readonly IEnumerable<IPostConfigureOptions<OpenIddictServerOptions>> _postConfigures;
    readonly ProjectKeyRing _keys;
    readonly KeyDerivation _derivation;
    readonly ConcurrentDictionary<Guid, (long Revision, Lazy<Task<OpenIddictServerOptions>> Options)> _projects = new();
    readonly Lazy<OpenIddictServerOptions> _template;

    public ProjectServerOptions(
        IHttpContextAccessor http,
        IEnumerable<IConfigureOptions<OpenIddictServerOptions>> configures,
        IEnumerable<IPostConfigureOptions<OpenIddictServerOptions>> postConfigures,
        ProjectKeyRing keys,
        KeyDerivation derivation)
    {
        _http = http;
        _configures = configures;
        _postConfigures = postConfigures;
        _keys = keys;
        _derivation = derivation;
        _template = new(BuildTemplate);
    }

    /// <summary>The current request's project options; outside a project request, a key-less template.</summary>
    public OpenIddictServerOptions CurrentValue => _http.HttpContext?.Features.Get<OpenIddictServerOptions>() ?? _template.Value;

    public OpenIddictServerOptions Get(string? name) => CurrentValue;

    public IDisposable? OnChange(Action<OpenIddictServerOptions, string?> listener) => null;

    public Task<OpenIddictServerOptions> GetAsync(ProjectInfo project, string issuer)
    {
        var entry = _projects.AddOrUpdate(project.Id,
            _ => (project.Revision, new(() => BuildAsync(project, issuer))),
            (_, existing) => existing.Revision == project.Revision ? existing : (project.Revision, new(() => BuildAsync(project, issuer))));
        var task = entry.Options.Value;
        if (task.IsFaulted) _projects.TryRemove(project.Id, out _); // let the next request try again
        return task;
    }

    /// <summary>Drops a project's options, e.g. after its keys changed; the next request rebuilds them.</summary>
    public void Invalidate(Guid projectId) => _projects.TryRemove(projectId, out _);

    async Task<OpenIddictServerOptions> BuildAsync(ProjectInfo project, string issuer)
    {
        var keys = await _keys.GetSigningKeysAsync(project, CancellationToken.None);
        var config = project.OAuth2;
        var jwtAccessTokens = config.Strategies.AccessToken == "jwt";

        return Build(options =>
        {
            options.Issuer = new Uri(issuer);
            options.AccessTokenLifetime = GoDuration.Parse(config.Ttl.AccessToken);
            options.RefreshTokenLifetime = GoDuration.Parse(config.Ttl.RefreshToken);
            options.IdentityTokenLifetime = GoDuration.Parse(config.Ttl.IdToken);
            options.AuthorizationCodeLifetime = GoDuration.Parse(config.Ttl.AuthCode);
            options.DeviceCodeLifetime = options.UserCodeLifetime = GoDuration.Parse(config.Ttl.DeviceUserCode);
            options.RequireProofKeyForCodeExchange = config.OAuth2.Pkce.Enforced;
            // The project's default only: AccessTokenStrategy decides per token, from the client's access_token_strategy.
            options.UseReferenceAccessTokens = !jwtAccessTokens;
            options.DisableAccessTokenEncryption = jwtAccessTokens;

            // Every key of both sets verifies (and is published in the JWKS); SigningKeySelection decides which signs.
            // Opaque tokens' inner payloads are signed with a derived HMAC key: microseconds instead of an RSA signature per token.
            var signing = KeySets.All.ToDictionary(set => set, set => keys[set].Select(k => new SigningCredentials(_keys.ToSigningKey(k), k.Alg)).ToList());
            var hmac = _derivation.For(project.Id, "payload-signing")
                .Select(k => new SigningCredentials(new SymmetricSecurityKey(k), SecurityAlgorithms.HmacSha256)).ToList();
            foreach (var credentials in signing.Values.SelectMany(c => c).Concat(hmac))
                options.SigningCredentials.Add(credentials);
            options.Handlers.Add(new SigningKeySelection(signing[KeySets.IdToken][0], signing[KeySets.AccessToken][0], hmac[0]).Descriptor);
            foreach (var key in _derivation.For(project.Id, "payload-encryption"))
                options.EncryptionCredentials.Add(new EncryptingCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.Aes256KW, SecurityAlgorithms.Aes256CbcHmacSha512));
        });
    }

    /// <summary>
    /// What OpenIddict sees on requests that belong to no project (health checks): valid, but with
    /// throwaway keys, so nothing it could sign would verify anywhere. Its pipeline is every project's,
    /// <see cref="SigningKeySelection"/> included (PipelineSnapshotTests reads it).
    /// </summary>
    OpenIddictServerOptions BuildTemplate() => Build(options =>
    {
        options.Issuer = new Uri("http://localhost/");
        var throwaway = new SigningCredentials(new RsaSecurityKey(RSA.Create(2048)), SecurityAlgorithms.RsaSha256);
        options.SigningCredentials.Add(throwaway);
        options.Handlers.Add(new SigningKeySelection(throwaway, throwaway, throwaway).Descriptor);
        options.EncryptionCredentials.Add(new EncryptingCredentials(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)), SecurityAlgorithms.Aes256KW, SecurityAlgorithms.Aes256CbcHmacSha512));
    });

    OpenIddictServerOptions Build(Action<OpenIddictServerOptions> project)
    {
        var options = new OpenIddictServerOptions();
        foreach (var setup in _configures)
        {
            if (setup is IConfigureNamedOptions<OpenIddictServerOptions> named) named.Configure(Options.DefaultName, options);
            else setup.Configure(options);
        }
        project(options);
        foreach (var post in _postConfigures) post.PostConfigure(Options.DefaultName, options);
        return options;
    }
}
