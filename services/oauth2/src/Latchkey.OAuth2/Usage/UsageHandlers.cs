using System.Collections.Immutable;
using System.Globalization;
using Latchkey.OAuth2.Server;
using Latchkey.Tenancy;
using Microsoft.AspNetCore;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.OAuth2.Usage;

/// <summary>
/// The token endpoint's part in metering, inside OpenIddict's pipeline: the quota is checked before the
/// client is even authenticated, the issued token is counted as its response goes out, and every token
/// response carries Ory-style rate-limit headers.
/// </summary>
public static class UsageHandlers
{
    const string OwnerProperty = "lk:usage-token-owner";
    const string QuotaProperty = "lk:usage-quota";

    public static ImmutableArray<OpenIddictServerHandlerDescriptor> Handlers { get; } =
    [
        // ValidateTokenRequestContext
        EnforceMonthlyQuota.Descriptor,

        // ProcessSignInContext
        RememberTokenOwner.Descriptor,

        // ApplyTokenResponseContext
        CountIssuedToken.Descriptor,
        AttachRateLimitHeaders.Descriptor,
    ];

    /// <summary>
    /// Takes one token of the monthly quota (given back by <see cref="CountIssuedToken"/> if none is issued); over
    /// quota: <c>temporarily_unavailable</c>, turned into a 429 by <see cref="AttachRateLimitHeaders"/>.
    /// </summary>
    public sealed class EnforceMonthlyQuota(QuotaGate quota, IProjectContext project) : IOpenIddictServerHandler<ValidateTokenRequestContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = Handler.Scoped<ValidateTokenRequestContext, EnforceMonthlyQuota>(
            // First, before the first built-in: over quota, nothing of the request is looked at.
            OpenIddictServerHandlers.Exchange.ValidateGrantType.Descriptor.Order - 1_000);

        public async ValueTask HandleAsync(ValidateTokenRequestContext context)
        {
            if (await quota.TakeAsync(project.Project.Id, context.CancellationToken) is not { } status) return;
            context.Transaction.Properties[QuotaProperty] = status;
            if (status.Exceeded)
                context.Reject(UsageErrors.QuotaExceeded(status));
        }
    }

    /// <summary>Sign-in still knows whose token it is; the response does not, so remember it for <see cref="CountIssuedToken"/>.</summary>
    public sealed class RememberTokenOwner : IOpenIddictServerHandler<ProcessSignInContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = Handler.Singleton<ProcessSignInContext, RememberTokenOwner>(
            // Before ApplyTokenResponse, which writes the response (running CountIssuedToken) and ends the sign-in.
            OpenIddictServerHandlers.Exchange.ApplyTokenResponse<ProcessSignInContext>.Descriptor.Order - 1_000);

        public ValueTask HandleAsync(ProcessSignInContext context)
        {
            if (context.EndpointType == OpenIddictServerEndpointType.Token)
                context.Transaction.Properties[OwnerProperty] = (context.ClientId ?? context.Request.ClientId, context.Principal?.GetClaim(Claims.Subject));
            return default;
        }
    }

    /// <summary>
    /// A token response that carries an access token and no error is one token issued: counted in the project's
    /// usage and, without the project, in <see cref="TokenMetrics"/> (with its refresh and ID tokens). Any other
    /// response gives its quota token back.
    /// </summary>
    public sealed class CountIssuedToken(UsageMeter meter, QuotaGate quota, IProjectContext project, TokenMetrics metrics) : IOpenIddictServerHandler<ApplyTokenResponseContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = Handler.Scoped<ApplyTokenResponseContext, CountIssuedToken>(
            // Before the first built-in, after AlwaysReturnScope: the response as issued.
            OpenIddictServerHandlers.Exchange.NormalizeErrorResponse.Descriptor.Order - 1_000);

        public ValueTask HandleAsync(ApplyTokenResponseContext context)
        {
            if (string.IsNullOrEmpty(context.Response.AccessToken) || !string.IsNullOrEmpty(context.Response.Error))
            {
                if (context.Transaction.Properties.TryGetValue(QuotaProperty, out var value) && value is QuotaStatus taken)
                    quota.Return(project.Project.Id, taken);
                return default;
            }

            var (clientId, subject) = context.Transaction.Properties.TryGetValue(OwnerProperty, out var owner) && owner is ValueTuple<string?, string?> known
                ? known
                : (context.Request?.ClientId, null);
            meter.CountToken(project.Project, context.Request?.GrantType ?? "unknown", clientId, subject);
            metrics.Count(context.Request?.GrantType, !string.IsNullOrEmpty(context.Response.RefreshToken), !string.IsNullOrEmpty(context.Response.IdToken));
            return default;
        }
    }

    /// <summary>
    /// Ory-style rate-limit headers on every token response; over quota, status 429 and <c>Retry-After</c>.
    /// Runs after OpenIddict chose the status code and before it writes the body.
    /// </summary>
    public sealed class AttachRateLimitHeaders(TimeProvider clock) : IOpenIddictServerHandler<ApplyTokenResponseContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = Handler.Singleton<ApplyTokenResponseContext, AttachRateLimitHeaders>(OpenIddictServerAspNetCoreHandlers.AttachWwwAuthenticateHeader<ApplyTokenResponseContext>.Descriptor.Order + 1);

        public ValueTask HandleAsync(ApplyTokenResponseContext context)
        {
            if (!context.Transaction.Properties.TryGetValue(QuotaProperty, out var value) || value is not QuotaStatus status
                || context.Transaction.GetHttpRequest()?.HttpContext.Response is not { } response)
                return default;

            var issued = !string.IsNullOrEmpty(context.Response.AccessToken) && string.IsNullOrEmpty(context.Response.Error);
            var used = status.Used + (issued ? 1 : 0);
            response.Headers["X-RateLimit-Limit"] = status.Limit.ToString(CultureInfo.InvariantCulture);
            response.Headers["X-RateLimit-Remaining"] = Math.Max(0, status.Limit - used).ToString(CultureInfo.InvariantCulture);
            response.Headers["X-RateLimit-Reset"] = status.ResetsAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            if (status.Exceeded && context.Response.Error == Errors.TemporarilyUnavailable)
            {
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                var wait = Math.Max(1, (long)Math.Ceiling((status.ResetsAt - clock.GetUtcNow()).TotalSeconds));
                response.Headers.RetryAfter = wait.ToString(CultureInfo.InvariantCulture);
            }
            return default;
        }
    }
}
