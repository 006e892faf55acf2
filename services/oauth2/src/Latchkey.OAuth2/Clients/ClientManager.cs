using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;

namespace Latchkey.OAuth2.Clients;

/// <summary>
/// OpenIddict's application manager with Latchkey's secret hashing: keyed SHA-256 for secrets we generate
/// (microseconds per token request), PBKDF2 for secrets a caller chose.
/// </summary>
public sealed class ClientManager(
    IOpenIddictApplicationCache<OAuth2Client> cache,
    ILogger<OpenIddictApplicationManager<OAuth2Client>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictApplicationStore<OAuth2Client> store,
    ClientSecrets secrets)
    : OpenIddictApplicationManager<OAuth2Client>(cache, logger, options, store)
{
    protected override ValueTask<string> ObfuscateClientSecretAsync(string secret, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(secrets.Hash(secret, generated: false));

    protected override ValueTask<bool> ValidateClientSecretAsync(string secret, string comparand, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(secrets.Verify(secret, comparand));
}
