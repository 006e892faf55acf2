using System.Collections.Immutable;
using OpenIddict.Server;

namespace Latchkey.OAuth2.Flows;

/// <summary>The login, consent and logout flows inside OpenIddict's pipeline, in the order they run.</summary>
public static class FlowHandlers
{
    public static ImmutableArray<OpenIddictServerHandlerDescriptor> Handlers { get; } =
    [
        // ValidateAuthorizationRequestContext
        RedirectUriGuard.Descriptor,
        PkceRequirement.Descriptor,

        // HandleAuthorizationRequestContext
        AuthorizeHandler.Descriptor,

        // ApplyAuthorizationResponseContext
        ErrorUrlRedirect.Descriptor,
        FormPostPolicy.Descriptor,

        // HandleUserInfoRequestContext
        UserInfoHandler.Descriptor,

        // HandleEndSessionRequestContext
        LogoutHandler.Descriptor,
    ];
}
