namespace Latchkey.OAuth2.Device;

public static class DeviceRegistration
{
    /// <summary>The device grant's services; its OpenIddict handlers are in <see cref="DeviceHandlers"/>.</summary>
    public static IServiceCollection AddDevice(this IServiceCollection services) => services
        .AddSingleton<UserCodes>()
        .AddScoped<DeviceStore>()
        .AddScoped<DeviceService>();
}
