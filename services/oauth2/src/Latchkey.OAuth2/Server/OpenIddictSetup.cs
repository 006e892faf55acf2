using System.Collections.Immutable;
using Latchkey.OAuth2.Clients;
using Latchkey.OAuth2.Device;
using Latchkey.OAuth2.Discovery;
using Latchkey.OAuth2.Flows;
using Latchkey.OAuth2.Keys;
using Latchkey.OAuth2.Storage;
using Latchkey.OAuth2.Tokens;
using Latchkey.OAuth2.Usage;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server;

namespace Latchkey.OAuth2.Server;

public static class OpenIddictSetup
{
    /// <summary>
    /// One OpenIddict server for every project. What is the same for all projects is configured here;
    /// what differs (issuer, keys, lifetimes, strategies) is applied per project by <see cref="ProjectServerOptions"/>.
    /// </summary>
    public static IServiceCollection AddOAuth2Server(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<ProjectContext>();
        services.AddScoped<Tenancy.IProjectContext>(sp => sp.GetRequiredService<ProjectContext>());
        services.AddSingleton<KeyDerivation>();
        services.AddSingleton<ProjectKeyRing>();
        services.AddSingleton<OpaqueTokens>();
        services.AddOAuth2Storage();
        services.AddScoped<FlowStore>();
        services.AddScoped<LoginSessions>();
        services.AddScoped<FlowService>();
        services.AddSingleton<ClientAuthThrottle>();
        services.AddDevice();
        services.AddSingleton<ClientJwks>();
        services.AddScoped<Credentials.CredentialNonces>();

        services.AddOpenIddict()
            .AddCore(core => core.UseLatchkeyStores().ReplaceApplicationManager<StoredClient, ClientManager>())
            .AddServer(server =>
            {
                server.SetAuthorizationEndpointUris("oauth2/auth")
                    .SetTokenEndpointUris("oauth2/token")
                    .SetUserInfoEndpointUris("userinfo")
                    .SetRevocationEndpointUris("oauth2/revoke")
                    .SetEndSessionEndpointUris("oauth2/sessions/logout")
                    .SetConfigurationEndpointUris(".well-known/openid-configuration", ".well-known/oauth-authorization-server")
                    .SetJsonWebKeySetEndpointUris(".well-known/jwks.json")
                    // RFC 8628 at Hydra's paths; DeviceHandlers add Hydra's verification steps.
                    .SetDeviceAuthorizationEndpointUris("oauth2/device/auth")
                    .SetEndUserVerificationEndpointUris("oauth2/device/verify");
                server.AllowClientCredentialsFlow().AllowAuthorizationCodeFlow().AllowRefreshTokenFlow().AllowDeviceAuthorizationFlow();
                server.AllowCustomFlow(Trust.JwtBearerGrant.GrantType);
                server.UseReferenceRefreshTokens();
                server.DisableScopeValidation();
                server.IgnoreScopePermissions();
                server.DisableAudienceValidation();
                server.IgnoreAudiencePermissions();
                server.DisableResourceValidation();
                server.IgnoreResourcePermissions();
                server.SetRefreshTokenReuseLeeway(TimeSpan.Zero);

                // Keys are per project; these placeholders only satisfy the builder and are replaced.
                server.AddEphemeralEncryptionKey().AddEphemeralSigningKey();

                // Built-ins that ours replace at the same order, or whose check ours make instead.
                foreach (var replaced in TokenHandlers.Replaced) server.RemoveEventHandler(replaced);
                // Hydra accepts `audience` on every grant; OpenIddict only on token exchange. Our grant
                // handlers check it against the client's registered audiences instead.
                server.RemoveEventHandler(OpenIddictServerHandlers.Exchange.ValidateAudienceParameter.Descriptor);
                // At the authorization endpoint too (how a code-flow access token gets its aud): AuthorizeHandler checks it.
                server.RemoveEventHandler(OpenIddictServerHandlers.Authentication.ValidateAudienceParameter.Descriptor);

                // Every handler of ours, each list in pipeline order; each orders itself relative to a built-in.
                // The one handler not here, SigningKeySelection, carries a project's keys: ProjectServerOptions adds it.
                // PipelineSnapshotTests pins the resulting order (pipeline.snapshot.txt).
                ImmutableArray<OpenIddictServerHandlerDescriptor>[] features =
                [
                    UsageHandlers.Handlers, ClientHandlers.Handlers, TokenHandlers.Handlers, FlowHandlers.Handlers, DeviceHandlers.Handlers,
                    StorageHandlers.Handlers, DiscoveryHandlers.Handlers, ServerHandlers.Handlers, Hooks.HookHandlers.Handlers, Trust.TrustHandlers.Handlers,
                    Credentials.CredentialHandlers.Handlers,
                ];
                foreach (var handler in features.SelectMany(list => list)) server.AddEventHandler(handler);

                server.UseAspNetCore().DisableTransportSecurityRequirement();
            });

        // Every project gets its own keys: drop the builder's placeholders before the project's are added.
        services.Configure<OpenIddictServerOptions>(options =>
        {
            options.SigningCredentials.Clear();
            options.EncryptionCredentials.Clear();
            // PKCE's "plain" method protects nothing the code does not; only S256 is offered and accepted.
            options.CodeChallengeMethods.Remove(OpenIddictConstants.CodeChallengeMethods.Plain);
            // Easy to type user codes (Device/UserCodes), which our PrepareTokenEntry mints; OpenIddict shows them as XXXX-XXXX.
            options.UserCodeCharset.Clear();
            options.UserCodeCharset.UnionWith(UserCodes.Alphabet.Select(c => c.ToString()));
            options.UserCodeLength = UserCodes.Length;
            options.UserCodeDisplayFormat = UserCodes.DisplayFormat;
            // client_secret_jwt needs the plain secret, and only its hash is stored: never offered (registration refuses it).
            options.ClientAuthenticationMethods.Remove(OpenIddictConstants.ClientAuthenticationMethods.ClientSecretJwt);
        });
        services.AddSingleton<ProjectServerOptions>();
        services.AddSingleton<IOptionsMonitor<OpenIddictServerOptions>>(sp => sp.GetRequiredService<ProjectServerOptions>());
        return services;
    }
}
