using System.Text;
using System.Xml.Linq;
using Latchkey.ServiceDefaults;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Latchkey.Storage.DataProtection;

/// <summary>
/// Encrypts each data-protection key element under the first system secret before it is stored, so the
/// database holds no usable key material: reading the table is not enough to forge a cookie.
/// </summary>
public sealed class SystemSecretXmlEncryptor(PlatformSettings settings) : IXmlEncryptor
{
    public const string ElementName = "systemSecretEncrypted";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var element = new XElement(ElementName,
            new XComment(" Encrypted with LATCHKEY_SECRETS_SYSTEM (AES-256-GCM). "),
            new XElement("value", Convert.ToBase64String(KeyRingCipher.Encrypt(settings.SystemSecrets[0], plaintext))));
        return new EncryptedXmlInfo(element, typeof(SystemSecretXmlDecryptor));
    }
}
