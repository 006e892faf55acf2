using Latchkey.Tenancy;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.OAuth2.Discovery;

/// <summary>OpenIddict writes the issuer as a URI with a trailing slash; the contract's issuer has none.</summary>
public sealed class UseProjectIssuerInDiscovery(IProjectContext project) : IOpenIddictServerHandler<ApplyConfigurationResponseContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyConfigurationResponseContext>()
        .UseScopedHandler<UseProjectIssuerInDiscovery>()
        .SetOrder(int.MinValue + 50_000)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public ValueTask HandleAsync(ApplyConfigurationResponseContext context)
    {
        if (context.Response.Error is null) context.Response[Metadata.Issuer] = project.Issuer;
        return default;
    }
}
