using Latchkey.Tenancy;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;
using Builtin = OpenIddict.Server.OpenIddictServerHandlers;

namespace Latchkey.OAuth2.Server;

/// <summary>
/// OpenIddict keeps the issuer as a <see cref="Uri"/> and writes it as <c>Uri.AbsoluteUri</c>, which always ends
/// in <c>/</c>; the contract's issuer has none, and RFC 9207 clients compare <c>iss</c> with discovery's
/// <c>issuer</c> byte for byte. These handlers write the project's issuer string where OpenIddict would write its own.
/// </summary>
public static class ExactIssuer
{
    /// <summary>
    /// The RFC 9207 <c>iss</c> parameter of every authorization response that goes back to the client, success or
    /// error, whatever the response mode. Runs just before OpenIddict's own <c>AttachIssuer</c>, which leaves an
    /// <c>iss</c> already set alone, and after the redirect URI is known (no redirect URI: no <c>iss</c>, as there).
    /// </summary>
    public sealed class InAuthorizationResponses(IProjectContext project) : IOpenIddictServerHandler<ApplyAuthorizationResponseContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = Handler.Scoped<ApplyAuthorizationResponseContext, InAuthorizationResponses>(Builtin.Authentication.AttachIssuer.Descriptor.Order - 1);

        public ValueTask HandleAsync(ApplyAuthorizationResponseContext context)
        {
            if (!string.IsNullOrEmpty(context.RedirectUri)) context.Response.Iss = project.Issuer;
            return default;
        }
    }

    /// <summary><c>/userinfo</c>'s <c>iss</c>: OpenIddict builds the response from the issuer URI, so it is rewritten on the way out.</summary>
    public sealed class InUserInfoResponses(IProjectContext project) : IOpenIddictServerHandler<ApplyUserInfoResponseContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = Handler.Scoped<ApplyUserInfoResponseContext, InUserInfoResponses>(
            // First, before the first built-in: the response is rewritten before anything reads or writes it.
            OpenIddictServerAspNetCoreHandlers.AttachHttpResponseCode<ApplyUserInfoResponseContext>.Descriptor.Order - 1_000);

        public ValueTask HandleAsync(ApplyUserInfoResponseContext context)
        {
            if (context.Response.Error is null && context.Response.HasParameter(Claims.Issuer)) context.Response[Claims.Issuer] = project.Issuer;
            return default;
        }
    }
}
