using System.Text;
using Xunit;

namespace Latchkey.Bench.Tests;

public sealed class ClientCredentialsTests
{
    [Fact]
    public void Basic_FormEncodesIdAndSecretBeforeBase64()
    {
        var basic = new ClientCredentials("id:1", "s+/=").Basic;

        Assert.StartsWith("Basic ", basic);
        Assert.Equal("id%3A1:s%2B%2F%3D", Encoding.UTF8.GetString(Convert.FromBase64String(basic["Basic ".Length..])));
    }
}
