using Latchkey.Testing;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>One platform for all contract tests; every test makes its own projects, so none sees another's data.</summary>
[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "platform";
}
