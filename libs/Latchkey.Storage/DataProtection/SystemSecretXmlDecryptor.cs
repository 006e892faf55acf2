using System.Text;
using System.Xml.Linq;
using Latchkey.ServiceDefaults;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Storage.DataProtection;

/// <summary>
/// Reverses <see cref="SystemSecretXmlEncryptor"/> with any of the system secrets. The key manager creates it
/// from the type named in the stored XML, through this constructor.
/// </summary>
public sealed class SystemSecretXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var sealedBytes = Convert.FromBase64String((string?)encryptedElement.Element("value")
            ?? throw new System.Security.Cryptography.CryptographicException("The key ring entry has no value."));
        var secrets = services.GetRequiredService<PlatformSettings>().SystemSecrets;
        return XElement.Parse(Encoding.UTF8.GetString(KeyRingCipher.Decrypt(secrets, sealedBytes)));
    }
}
