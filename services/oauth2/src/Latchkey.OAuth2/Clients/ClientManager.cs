using Latchkey.Tenancy;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;

namespace Latchkey.OAuth2.Clients;

/// <summary>
/// OpenIddict's application manager with Latchkey's secret hashing: keyed SHA-256 for secrets we generate
/// (microseconds per token request), PBKDF2 for secrets a caller chose. Failed checks are counted by
/// <see cref="ClientAuthThrottle"/>; a PBKDF2 check is counted before it runs (and refunded on success),
/// so over the limit it does not run at all, however many requests race. A remembered check is not counted.
/// </summary>
public sealed class ClientManager(
    IOpenIddictApplicationCache<StoredClient> cache,
    ILogger<OpenIddictApplicationManager<StoredClient>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictApplicationStore<StoredClient> store,
    ClientSecrets secrets,
    ClientAuthThrottle throttle,
    IProjectContext project,
    IHttpContextAccessor http,
    ClientJwks jwks)
    : OpenIddictApplicationManager<StoredClient>(cache, logger, options, store)
{
    public override async ValueTask<bool> ValidateClientSecretAsync(StoredClient application, string secret, CancellationToken cancellationToken = default)
    {
        var source = http.HttpContext?.Connection.RemoteIpAddress;
        // Fast hashes, or slow ones this secret passed a moment ago: no PBKDF2 runs, so nothing to ration.
        if (!NeedsSlowCheck(application, secret))
        {
            var ok = await MatchesAsync(application, secret, cancellationToken);
            if (!ok) await throttle.FailedAsync(project.Project.TenantId, application.Id, source);
            return ok;
        }
        if (!await throttle.TryBeginAsync(project.Project.TenantId, application.Id, source)) return false;
        var valid = await MatchesAsync(application, secret, cancellationToken);
        if (valid) await throttle.SucceededAsync(project.Project.TenantId, application.Id, source);
        return valid;
    }

    /// <summary>The current secret, or one of the rotated ones still kept (Hydra's zero-downtime rotation).</summary>
    async ValueTask<bool> MatchesAsync(StoredClient application, string secret, CancellationToken cancellationToken)
    {
        if (await base.ValidateClientSecretAsync(application, secret, cancellationToken)) return true;
        foreach (var rotated in application.RotatedSecrets)
        {
            if (secrets.Verify(secret, rotated.Hash)) return true;
        }
        return false;
    }

    bool NeedsSlowCheck(StoredClient application, string secret) =>
        (ClientSecrets.IsSlow(application.ClientSecretHash) && !secrets.IsRemembered(secret, application.ClientSecretHash!))
        || application.RotatedSecrets.Any(r => ClientSecrets.IsSlow(r.Hash) && !secrets.IsRemembered(secret, r.Hash));

    /// <summary>
    /// The keys OpenIddict verifies a <c>private_key_jwt</c> assertion with: the client's inline jwks or its
    /// jwks_uri's, through <see cref="ClientJwks"/> (which <see cref="ClientAssertions.LoadKeys"/> filled a moment ago).
    /// </summary>
    public override async ValueTask<Microsoft.IdentityModel.Tokens.JsonWebKeySet?> GetJsonWebKeySetAsync(StoredClient application, CancellationToken cancellationToken = default)
    {
        if (application.TokenEndpointAuthMethod != "private_key_jwt") return null;
        var (set, _) = await jwks.GetAsync(project, application, kid: null, cancellationToken);
        return set;
    }

    protected override ValueTask<string> ObfuscateClientSecretAsync(string secret, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(secrets.Hash(secret, generated: false));

    protected override ValueTask<bool> ValidateClientSecretAsync(string secret, string comparand, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(secrets.Verify(secret, comparand));
}
