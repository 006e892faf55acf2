using OpenIddict.Server;

namespace Latchkey.OAuth2.Server;

/// <summary>
/// Descriptors of Latchkey's own OpenIddict handlers, which differ only in context, handler, lifetime and
/// order. The order is always written relative to the built-in handler ours replaces, follows or precedes
/// (<c>Builtin.X.Descriptor.Order + 1_000</c>), never as an absolute number, so it survives OpenIddict
/// renumbering its handlers; <c>PipelineSnapshotTests</c> pins the resulting order.
/// </summary>
public static class Handler
{
    /// <summary>A handler resolved from the request's scope: for handlers that take scoped services.</summary>
    public static OpenIddictServerHandlerDescriptor Scoped<TContext, THandler>(int order)
        where TContext : OpenIddictServerEvents.BaseContext
        where THandler : class, IOpenIddictServerHandler<TContext> =>
        At<TContext>(order).UseScopedHandler<THandler>().Build();

    /// <summary>A handler without dependencies on the request: one instance for the process.</summary>
    public static OpenIddictServerHandlerDescriptor Singleton<TContext, THandler>(int order)
        where TContext : OpenIddictServerEvents.BaseContext
        where THandler : class, IOpenIddictServerHandler<TContext> =>
        At<TContext>(order).UseSingletonHandler<THandler>().Build();

    /// <summary>A handler built for one project's options (it carries that project's keys).</summary>
    public static OpenIddictServerHandlerDescriptor Instance<TContext, THandler>(THandler handler, int order)
        where TContext : OpenIddictServerEvents.BaseContext
        where THandler : class, IOpenIddictServerHandler<TContext> =>
        At<TContext>(order).UseSingletonHandler(handler).Build();

    /// <summary>The builder, for a handler that needs OpenIddict's filters too.</summary>
    public static OpenIddictServerHandlerDescriptor.Builder<TContext> At<TContext>(int order)
        where TContext : OpenIddictServerEvents.BaseContext =>
        OpenIddictServerHandlerDescriptor.CreateBuilder<TContext>().SetOrder(order).SetType(OpenIddictServerHandlerType.Custom);
}
