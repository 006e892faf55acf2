using Marten;

namespace Latchkey.OAuth2.Storage;

/// <summary>
/// The oauth2 service's own Marten store (schema <c>oauth2</c>): every document in it is conjoined-tenanted
/// by project, and sessions without a tenant are refused.
/// </summary>
public interface IOAuth2Store : IDocumentStore;
