using System.Collections.Immutable;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.OAuth2.Server;

/// <summary>What the server itself adds to OpenIddict's pipeline: the project's exact issuer string, and error ids.</summary>
public static class ServerHandlers
{
    public static ImmutableArray<OpenIddictServerHandlerDescriptor> Handlers { get; } =
    [
        // ApplyAuthorizationResponseContext
        ExactIssuer.InAuthorizationResponses.Descriptor,
        ErrorIdOn<ApplyAuthorizationResponseContext>(),

        // ApplyTokenResponseContext, ApplyIntrospectionResponseContext, ApplyRevocationResponseContext
        ErrorIdOn<ApplyTokenResponseContext>(),
        ErrorIdOn<ApplyIntrospectionResponseContext>(),
        ErrorIdOn<ApplyRevocationResponseContext>(),

        // ApplyUserInfoResponseContext
        ExactIssuer.InUserInfoResponses.Descriptor,
        ErrorIdOn<ApplyUserInfoResponseContext>(),

        // ApplyEndSessionResponseContext
        ErrorIdOn<ApplyEndSessionResponseContext>(),
    ];

    /// <summary>Once the response's error is final (after the endpoint's NormalizeErrorResponse, its first built-in) and before it is written.</summary>
    static OpenIddictServerHandlerDescriptor ErrorIdOn<TContext>() where TContext : BaseRequestContext =>
        Handler.Singleton<TContext, AttachErrorId<TContext>>(OpenIddictServerAspNetCoreHandlers.AttachHttpResponseCode<TContext>.Descriptor.Order + 500);
}
