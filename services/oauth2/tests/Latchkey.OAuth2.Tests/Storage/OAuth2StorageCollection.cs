using Xunit;

namespace Latchkey.OAuth2.Tests.Storage;

/// <summary>One database and Redis for every storage test; each test works in projects of its own.</summary>
[CollectionDefinition(Name)]
public sealed class OAuth2StorageCollection : ICollectionFixture<OAuth2StorageFixture>
{
    public const string Name = "oauth2 storage";
}
