using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Web;
using Latchkey.Cli.Browser;
using Xunit;

namespace Latchkey.Cli.Tests.Browser;

/// <summary>The authorization URL and its secrets: PKCE S256, a fresh state and nonce, Hydra's list parameters.</summary>
public sealed class AuthorizationRequestTests
{
    const string Endpoint = "http://brave-fox.projects.localhost:4430/oauth2/auth";

    static AuthorizationParameters Parameters(string? state = null) =>
        new("client 1", "http://127.0.0.1:4446/callback", ["offline_access", "openid"], [], [], null, state);

    static System.Collections.Specialized.NameValueCollection Query(AuthorizationRequest request) =>
        HttpUtility.ParseQueryString(new Uri(request.Url).Query);

    [Fact]
    public void Create_Url_CarriesTheCodeFlowParametersEncoded()
    {
        var request = AuthorizationRequest.Create(Endpoint, Parameters());
        var query = Query(request);

        Assert.StartsWith(Endpoint + "?response_type=code&client_id=client%201&redirect_uri=http%3A%2F%2F127.0.0.1%3A4446%2Fcallback&scope=offline_access%20openid&", request.Url);
        Assert.Equal(request.State, query["state"]);
        Assert.Equal(request.Nonce, query["nonce"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Null(query["audience"]);
        Assert.Null(query["prompt"]);
        Assert.Null(query["max_age"]);
    }

    [Fact]
    public void Create_Challenge_IsTheS256OfTheVerifier()
    {
        var request = AuthorizationRequest.Create(Endpoint, Parameters());

        var expected = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(request.CodeVerifier)));
        Assert.Equal(expected, Query(request)["code_challenge"]);
        // RFC 7636 §4.1: 43 to 128 characters of the unreserved set.
        Assert.Matches("^[A-Za-z0-9_-]{43,128}$", request.CodeVerifier);
    }

    [Fact]
    public void Create_EachRequest_HasFreshStateNonceAndVerifier()
    {
        var first = AuthorizationRequest.Create(Endpoint, Parameters());
        var second = AuthorizationRequest.Create(Endpoint, Parameters());

        Assert.NotEqual(first.State, second.State);
        Assert.NotEqual(first.Nonce, second.Nonce);
        Assert.NotEqual(first.CodeVerifier, second.CodeVerifier);
        Assert.NotEqual(first.State, first.Nonce);
    }

    [Fact]
    public void Create_ForcedState_IsSentAsGiven()
    {
        var request = AuthorizationRequest.Create(Endpoint, Parameters("debug state"));

        Assert.Equal("debug state", request.State);
        Assert.Equal("debug state", Query(request)["state"]);
    }

    [Fact]
    public void Create_AudiencesPromptsAndMaxAge_AreSpaceSeparatedLists()
    {
        var parameters = Parameters() with { Audiences = ["https://api.a", "https://api.b"], Prompts = ["login", "consent"], MaxAge = 0 };

        var query = Query(AuthorizationRequest.Create(Endpoint, parameters));

        Assert.Equal("https://api.a https://api.b", query["audience"]);
        Assert.Equal("login consent", query["prompt"]);
        Assert.Equal("0", query["max_age"]);
    }

    [Fact]
    public void IsOwnState_OnlyTheExactState()
    {
        var request = AuthorizationRequest.Create(Endpoint, Parameters());

        Assert.True(request.IsOwnState(request.State));
        Assert.False(request.IsOwnState(request.State + "x"));
        Assert.False(request.IsOwnState((request.State[0] == 'A' ? "B" : "A") + request.State[1..]));
        Assert.False(request.IsOwnState(""));
        Assert.False(request.IsOwnState(null));
    }
}
