using System.Collections.Immutable;
using Latchkey.OAuth2.Flows;
using Latchkey.OAuth2.Server;
using Latchkey.OAuth2.Tokens;
using Latchkey.ServiceDefaults;
using Latchkey.Tenancy;
using Microsoft.AspNetCore;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;
using Builtin = OpenIddict.Server.OpenIddictServerHandlers;

namespace Latchkey.OAuth2.Device;

/// <summary>
/// The device authorization grant (RFC 8628) inside OpenIddict's pipeline. OpenIddict issues the device and user codes
/// (<c>/oauth2/device/auth</c>), answers polls at the token endpoint (<c>authorization_pending</c>, <c>access_denied</c>,
/// <c>expired_token</c>) and approves a device when a user is signed in at the end-user verification endpoint
/// (<c>/oauth2/device/verify</c>). These handlers add Hydra's steps in between: the verification endpoint first sends the
/// browser to the project's device app with a challenge, then — with the device verifier, login verifier and consent
/// verifier in turn — through the usual login and consent, and signs the user in only after consent.
/// </summary>
public static class DeviceHandlers
{
    const string VerifiedUserCode = "lk:device-user-code";
    const string CompletedFlow = "lk:device-flow";

    public static ImmutableArray<OpenIddictServerHandlerDescriptor> Handlers { get; } =
    [
        // ApplyDeviceAuthorizationResponseContext
        AttachPollingInterval.Descriptor,
        ErrorIdOn<ApplyDeviceAuthorizationResponseContext>(),

        // ValidateTokenRequestContext
        DeviceCodeOfThisClient.Descriptor,

        // ValidateEndUserVerificationRequestContext
        VerificationSteps.Descriptor,

        // ValidateTokenContext
        ResolveVerifiedUserCode.Descriptor,

        // HandleEndUserVerificationRequestContext
        SignInVerifiedDevice.Descriptor,

        // ApplyEndUserVerificationResponseContext
        RedirectToSuccess.Descriptor,
        ErrorIdOn<ApplyEndUserVerificationResponseContext>(),

        // ApplyTokenResponseContext
        SlowDown.Descriptor,
    ];

    static OpenIddictServerHandlerDescriptor ErrorIdOn<TContext>() where TContext : BaseRequestContext =>
        Handler.Singleton<TContext, AttachErrorId<TContext>>(OpenIddictServerAspNetCoreHandlers.AttachHttpResponseCode<TContext>.Descriptor.Order + 500);

    static TimeSpan PollingInterval(IProjectContext project) => GoDuration.Parse(project.Project.OAuth2.OAuth2.DeviceAuthorization.TokenPollingInterval);

    /// <summary>
    /// OpenIddict sends no <c>interval</c> (RFC 8628 §3.2 lets clients assume 5 s; Hydra sends its setting), and an
    /// <c>expires_in</c> counted down from the code's creation; Hydra sends <c>ttl.device_user_code</c> itself.
    /// </summary>
    public sealed class AttachPollingInterval(IProjectContext project) : IOpenIddictServerHandler<ApplyDeviceAuthorizationResponseContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = Handler.Scoped<ApplyDeviceAuthorizationResponseContext, AttachPollingInterval>(
            OpenIddictServerAspNetCoreHandlers.AttachHttpResponseCode<ApplyDeviceAuthorizationResponseContext>.Descriptor.Order - 1_000);

        public ValueTask HandleAsync(ApplyDeviceAuthorizationResponseContext context)
        {
            if (context.Response.Error is null && context.Response.DeviceCode is not null)
            {
                context.Response["interval"] = (long)PollingInterval(project).TotalSeconds;
                context.Response.ExpiresIn = (long)GoDuration.Parse(project.Project.OAuth2.Ttl.DeviceUserCode).TotalSeconds;
            }
            return default;
        }
    }

    /// <summary>
    /// A device code is redeemable only by the client it was issued to. OpenIddict checks that only once the user approved
    /// (it answers <c>authorization_pending</c> first), so another client of the project could watch the code's state and
    /// spend its polling interval; this refuses it before anything else is looked at.
    /// </summary>
    public sealed class DeviceCodeOfThisClient(TokenStore tokens, OpaqueTokens opaque, IProjectContext project) : IOpenIddictServerHandler<ValidateTokenRequestContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = Handler.Scoped<ValidateTokenRequestContext, DeviceCodeOfThisClient>(
            Builtin.Exchange.ValidateDeviceCodeParameter.Descriptor.Order + 500);

        public async ValueTask HandleAsync(ValidateTokenRequestContext context)
        {
            if (!context.Request.IsDeviceCodeGrantType() || context.Request.DeviceCode is not { } code || opaque.Verify(project.Project.Id, code) is not { } signature) return;
            if (await tokens.FindByIdAsync(OpaqueTokens.IdFor(signature), context.CancellationToken) is { Type: TokenTypeIdentifiers.Private.DeviceCode } entry
                && entry.Signature == signature && entry.ApplicationId != context.ClientId)
                context.Reject(DeviceErrors.DeviceCodeOfAnotherClient);
        }
    }

    /// <summary>
    /// Hydra's verification steps, before OpenIddict validates a user code (its first validation handler): a first visit
    /// goes to the device app; a device verifier starts the login; a login verifier goes to consent; a consent verifier
    /// completes the flow, and only then does OpenIddict go on, with the user code the device app accepted.
    /// </summary>
    public sealed class VerificationSteps(DeviceService devices, FlowService flows, IProjectContext project) : IOpenIddictServerHandler<ValidateEndUserVerificationRequestContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = Handler.Scoped<ValidateEndUserVerificationRequestContext, VerificationSteps>(
            Builtin.Device.ValidateVerificationAuthentication.Descriptor.Order - 1_000);

        public async ValueTask HandleAsync(ValidateEndUserVerificationRequestContext context)
        {
            var http = context.Transaction.GetHttpRequest()!.HttpContext;
            var request = context.Request;
            var ct = context.CancellationToken;
            if ((string?)request["consent_verifier"] is { } consentVerifier)
            {
                var completed = await flows.RedeemConsentVerifierAsync(consentVerifier, request.ClientId, FlowCookies.Read(http, consentVerifier), ct);
                if (completed.Failed(out var refused, out var flow) || flow.DeviceRequestId is null)
                {
                    await RefuseAsync(context, http, consentVerifier, refused ?? new FlowFailure(FlowOutcome.Unknown, FlowErrors.InvalidVerifier));
                    return;
                }
                if ((await devices.CompleteAsync(flow, ct)).Failed(out var notCompleted, out var device))
                {
                    context.Reject(notCompleted.Error);
                    return;
                }
                FlowCookies.Clear(http, flow.Id);
                // OpenIddict validates the user code the device app accepted (ResolveVerifiedUserCode), not one from the query.
                context.Transaction.Properties[VerifiedUserCode] = device.UserCodeId;
                context.Transaction.Properties[CompletedFlow] = flow;
                request.UserCode = "verified";
            }
            else if ((string?)request["login_verifier"] is { } loginVerifier)
            {
                var redeemed = await flows.RedeemLoginVerifierAsync(loginVerifier, request.ClientId, FlowCookies.Read(http, loginVerifier), ct);
                if (redeemed.Failed(out var refused, out var consent))
                {
                    await RefuseAsync(context, http, loginVerifier, refused);
                    return;
                }
                if (consent.SessionCookie is { } cookie) LoginSessions.IssueCookie(http, cookie, consent.SessionCookieExpires);
                else if (consent.ClearSessionCookie) LoginSessions.ClearCookie(http);
                Redirect(context, http, project.Project.OAuth2.Urls.Consent ?? $"{project.Issuer}/ui/consent", "consent_challenge", consent.ConsentChallenge);
            }
            else if ((string?)request["device_verifier"] is { } deviceVerifier)
            {
                var login = await devices.StartLoginAsync(http, deviceVerifier, ct);
                if (login.Failed(out var refused, out var to)) context.Reject(refused.Error);
                else Redirect(context, http, to);
            }
            else
            {
                Redirect(context, http, await devices.StartAsync(http, request.UserCode, ct));
            }
        }

        /// <summary>A redeemed rejection of the login or consent app denies the device: its next poll is <c>access_denied</c>.</summary>
        async Task RefuseAsync(ValidateEndUserVerificationRequestContext context, HttpContext http, string verifier, FlowFailure refused)
        {
            if (refused.Outcome == FlowOutcome.Rejected && FlowSecrets.FlowIdOf(verifier) is { } flowId)
            {
                await devices.DenyAsync(flowId, context.CancellationToken);
                FlowCookies.Clear(http, flowId);
            }
            context.Reject(refused.Error);
        }

        static void Redirect(ValidateEndUserVerificationRequestContext context, HttpContext http, string app, string parameter, string value) =>
            Redirect(context, http, $"{app}{(app.Contains('?', StringComparison.Ordinal) ? '&' : '?')}{parameter}={Uri.EscapeDataString(value)}");

        static void Redirect(ValidateEndUserVerificationRequestContext context, HttpContext http, string to)
        {
            http.Response.Redirect(to);
            context.HandleRequest();
        }
    }

    /// <summary>
    /// OpenIddict validates a user code by its reference; ours are stored by signature, and at this endpoint the code is the
    /// one the device app accepted earlier (<see cref="VerificationSteps"/>). Runs before OpenIddict strips characters
    /// outside the user-code alphabet, since what it validates is the stored payload.
    /// </summary>
    public sealed class ResolveVerifiedUserCode(TokenStore tokens) : IOpenIddictServerHandler<ValidateTokenContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = Handler.Scoped<ValidateTokenContext, ResolveVerifiedUserCode>(
            Builtin.Protection.ResolveTokenValidationParameters.Descriptor.Order + 500);

        public async ValueTask HandleAsync(ValidateTokenContext context)
        {
            if (!context.ValidTokenTypes.Contains(TokenTypeIdentifiers.Private.UserCode)) return;
            if (!context.Transaction.Properties.TryGetValue(VerifiedUserCode, out var value) || value is not Guid id)
            {
                if (context.ValidTokenTypes.Count == 1) context.Reject(DeviceErrors.UserCodeNotResolvable);
                return;
            }
            if (await tokens.FindByIdAsync(id, context.CancellationToken) is not { Type: TokenTypeIdentifiers.Private.UserCode, Payload: { } payload } entry)
            {
                context.Reject(DeviceErrors.InvalidUserCode);
                return;
            }
            context.AllowedCharset.Clear();
            context.IsReferenceToken = true;
            context.Token = payload;
            context.TokenId = entry.Id.ToString();
        }
    }

    /// <summary>The user who logged in and consented approves the device: OpenIddict writes the principal into the device code.</summary>
    public sealed class SignInVerifiedDevice : IOpenIddictServerHandler<HandleEndUserVerificationRequestContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = Handler.Singleton<HandleEndUserVerificationRequestContext, SignInVerifiedDevice>(
            Builtin.Device.AttachUserCodePrincipal.Descriptor.Order + 1_000);

        public ValueTask HandleAsync(HandleEndUserVerificationRequestContext context)
        {
            if (context.Transaction.Properties.TryGetValue(CompletedFlow, out var value) && value is LoginConsentFlow flow && context.UserCodePrincipal is not null)
                context.Principal = AuthorizeHandler.PrincipalOf(flow);
            else
                context.Reject(DeviceErrors.InvalidVerifier);
            return default;
        }
    }

    /// <summary>Hydra ends a device verification at <c>urls.device.success</c> with the client's id; without one, the hosted page.</summary>
    public sealed class RedirectToSuccess(IProjectContext project) : IOpenIddictServerHandler<ApplyEndUserVerificationResponseContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = Handler.Scoped<ApplyEndUserVerificationResponseContext, RedirectToSuccess>(
            OpenIddictServerAspNetCoreHandlers.ProcessHostRedirectionResponse.Descriptor.Order - 500);

        public ValueTask HandleAsync(ApplyEndUserVerificationResponseContext context)
        {
            if (context.Response.Error is not null) return default;
            var app = project.Project.OAuth2.Urls.Device.Success ?? $"{project.Issuer}/ui/device/success";
            var clientId = context.Request?.ClientId ?? "";
            context.Transaction.GetHttpRequest()!.HttpContext.Response.Redirect($"{app}{(app.Contains('?', StringComparison.Ordinal) ? '&' : '?')}client_id={Uri.EscapeDataString(clientId)}");
            context.HandleRequest();
            return default;
        }
    }

    /// <summary>
    /// RFC 8628 §3.5: a device that polls again sooner than its interval while the user has not decided gets
    /// <c>slow_down</c> instead of <c>authorization_pending</c>. Pending polls are counted per device code, in PostgreSQL
    /// so every replica sees the same count; a poll once the user decided is answered at once.
    /// </summary>
    public sealed class SlowDown(DeviceStore devices, OpaqueTokens opaque, IProjectContext project, TimeProvider clock) : IOpenIddictServerHandler<ApplyTokenResponseContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = Handler.Scoped<ApplyTokenResponseContext, SlowDown>(
            Builtin.Exchange.NormalizeErrorResponse.Descriptor.Order + 500);

        public async ValueTask HandleAsync(ApplyTokenResponseContext context)
        {
            if (context.Response.Error != Errors.AuthorizationPending || context.Request?.DeviceCode is not { } code
                || opaque.Verify(project.Project.Id, code) is not { } signature) return;
            if (await devices.CountAttemptAsync($"poll:{signature}", clock.GetUtcNow(), PollingInterval(project), context.CancellationToken) <= 1) return;
            context.Response.Error = DeviceErrors.SlowDown.Error;
            context.Response.ErrorDescription = DeviceErrors.SlowDown.Description;
            if (context.Transaction.GetHttpRequest()?.HttpContext.Response is { } response) ErrorId.Attach(response, DeviceErrors.SlowDown.Id);
        }
    }
}
