using Latchkey.ServiceDefaults;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace Latchkey.Storage.DataProtection;

public static class DataProtectionRegistration
{
    /// <summary>
    /// ASP.NET Core data protection with <paramref name="application"/>'s key ring in PostgreSQL
    /// (<see cref="DataProtectionKeys"/>), encrypted with the system secret. A service without
    /// <c>AddLatchkeyStorage</c> (the console) gets a data source of its own, used for this table only.
    /// </summary>
    public static IServiceCollection AddLatchkeyDataProtection(this IServiceCollection services, string application)
    {
        services.AddDataProtection().SetApplicationName(application);
        services.TryAddSingleton(sp => NpgsqlDataSource.Create(sp.GetRequiredService<PlatformSettings>().DatabaseUrl));
        services.AddOptions<KeyManagementOptions>().Configure<NpgsqlDataSource, PlatformSettings>((options, database, settings) =>
        {
            options.XmlRepository = new DataProtectionKeys(database, application);
            options.XmlEncryptor = new SystemSecretXmlEncryptor(settings);
        });
        return services;
    }
}
