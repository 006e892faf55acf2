using Latchkey.OAuth2.Authorizations;
using Latchkey.OAuth2.Clients;
using Latchkey.OAuth2.Tokens;

namespace Latchkey.OAuth2.Tests.Isolation;

/// <summary>The owner has a client, and a token and an authorization of it (which deleting the client deletes too).</summary>
public sealed class ClientStoreCases : StoreCases
{
    const string ClientId = "web-app";
    const string RedirectUri = "https://a.example/callback";
    const string LogoutUri = "https://a.example/bye";
    static readonly CancellationToken None = CancellationToken.None;

    public override async Task SeedAsync(ProjectScope owner)
    {
        await owner.Clients.CreateAsync(NewClient(), None);
        await owner.Tokens.InsertAsync(new TokenEntry { ApplicationId = ClientId, Signature = "sig-of-client", Status = "valid" }, None);
        await owner.Authorizations.CreateAsync(new AuthorizationEntry { ApplicationId = ClientId, Status = "valid" }, None);
    }

    public override IReadOnlyDictionary<string, Func<ProjectScope, ProjectScope, Task<bool>>> Methods =>
        new Dictionary<string, Func<ProjectScope, ProjectScope, Task<bool>>>
        {
            ["FindAsync"] = async (_, caller) => await caller.Clients.FindAsync(ClientId, None) is not null,
            ["FindByIdAsync"] = async (_, caller) => await caller.Clients.FindByIdAsync(ClientId, None) is not null,
            ["FindByClientIdAsync"] = async (_, caller) => await caller.Clients.FindByClientIdAsync(ClientId, None) is not null,
            ["FindByRedirectUriAsync"] = (_, caller) => AnyAsync(caller.Clients.FindByRedirectUriAsync(RedirectUri, None)),
            ["FindByPostLogoutRedirectUriAsync"] = (_, caller) => AnyAsync(caller.Clients.FindByPostLogoutRedirectUriAsync(LogoutUri, None)),
            ["ListAsync(page)"] = async (_, caller) => (await caller.Clients.ListAsync(10, 0, null, null, None)).Total > 0,
            ["ListAsync(page, name, owner)"] = async (_, caller) => (await caller.Clients.ListAsync(10, 0, "A's app", "owner-a", None)).Items.Count > 0,
            ["ListAsync(count, offset)"] = (_, caller) => AnyAsync(caller.Clients.ListAsync(10, 0, None)),
            ["ListAsync(query)"] = (_, caller) => AnyAsync(caller.Clients.ListAsync((clients, id) => clients.Where(c => c.Id == id), ClientId, None)),
            ["GetAsync(query)"] = async (_, caller) => await caller.Clients.GetAsync((clients, id) => clients.Where(c => c.Id == id), ClientId, None) is not null,
            ["CountAsync"] = async (_, caller) => await caller.Clients.CountAsync(None) > 0,
            ["CountAsync(query)"] = async (_, caller) => await caller.Clients.CountAsync(clients => clients.Where(c => c.Id == ClientId), None) > 0,
            ["CreateAsync"] = (_, caller) => CollidesAsync(() => caller.Clients.CreateAsync(NewClient(), None).AsTask()),
            ["UpdateAsync"] = async (owner, caller) =>
            {
                var client = (await owner.Clients.FindAsync(ClientId, None))!;
                client.ClientName = "renamed";
                return await SucceedsAsync(() => caller.Clients.UpdateAsync(client, None).AsTask());
            },
            ["DeleteAsync(client)"] = async (owner, caller) =>
            {
                await caller.Clients.DeleteAsync((await owner.Clients.FindAsync(ClientId, None))!, None);
                return false;
            },
            ["DeleteAsync(clientId)"] = (_, caller) => caller.Clients.DeleteAsync(ClientId, None),
        };

    static StoredClient NewClient() => new()
    {
        Id = ClientId,
        ClientName = "A's app",
        Owner = "owner-a",
        GrantTypes = ["authorization_code", "refresh_token"],
        ResponseTypes = ["code"],
        RedirectUris = [RedirectUri],
        PostLogoutRedirectUris = [LogoutUri],
        Scope = "openid offline_access",
    };
}
