using Latchkey.Testing;
using Xunit;

namespace Latchkey.Libs.Tests.Storage;

[CollectionDefinition(Name)]
public sealed class StorageCollection : ICollectionFixture<StorageFixture>
{
    public const string Name = "storage";
}
