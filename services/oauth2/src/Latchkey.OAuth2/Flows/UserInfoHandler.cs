using System.Text.Json;
using Latchkey.OAuth2.Server;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.OAuth2.Flows;

/// <summary>
/// <c>/userinfo</c> answers, as Hydra does, the subject and the <c>session.id_token</c> claims the consent
/// granted. OpenIddict has already validated the access token; its flow reference says which consent.
/// </summary>
public sealed class UserInfoHandler(FlowStore flows) : IOpenIddictServerHandler<HandleUserInfoRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = Handler.Scoped<HandleUserInfoRequestContext, UserInfoHandler>(
        OpenIddictServerHandlers.UserInfo.AttachClaims.Descriptor.Order + 1_000);

    public async ValueTask HandleAsync(HandleUserInfoRequestContext context)
    {
        var principal = context.AccessTokenPrincipal!;
        context.Subject = principal.GetClaim(Claims.Subject);
        if (!Guid.TryParse(principal.GetClaim(FlowClaims.Flow), out var flowId)) return;
        if (await flows.FindAsync(flowId, context.CancellationToken) is not { } flow || flow.Subject != context.Subject) return;
        foreach (var (name, value) in flow.IdTokenClaims ?? [])
        {
            if (value is not null && name is not (Claims.Subject or Claims.Issuer or Claims.Audience))
                context.Claims[name] = new OpenIddictParameter(JsonSerializer.SerializeToElement(value));
        }
    }
}
