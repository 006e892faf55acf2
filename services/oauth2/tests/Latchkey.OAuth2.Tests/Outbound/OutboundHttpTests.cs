using System.Net;
using Latchkey.OAuth2.Outbound;
using Latchkey.OAuth2.Tests.Storage;
using Latchkey.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Latchkey.OAuth2.Tests.Outbound;

public sealed class OutboundHttpTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fd00::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("64:ff9b::a00:1")]
    [InlineData("2002:a00:1::")]
    [InlineData("2001:db8::1")]
    [InlineData("ff02::1")]
    public void IsPublic_InternalAddress_IsFalse(string address) =>
        Assert.False(OutboundHttp.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("1.1.1.1")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    public void IsPublic_GlobalAddress_IsTrue(string address) =>
        Assert.True(OutboundHttp.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData(false, true, false)] // the operator does not allow it: refused whatever the project says
    [InlineData(true, true, false)] // the project's default
    [InlineData(true, false, true)] // both opt in
    public async Task LoopbackServer_IsReachableOnlyWhenOperatorAndProjectAllowIt(bool operatorAllows, bool projectDisallows, bool reachable)
    {
        await using var server = await StartLoopbackServerAsync();
        var outbound = Create(operatorAllows);
        var project = new TestProjectContext();
        project.Use(TestProjectContext.NewProject() with
        {
            OAuth2 = new OAuth2Config { Clients = new() { Http = new() { DisallowPrivateIpRanges = projectDisallows } } },
        });

        var call = outbound.For(project).GetAsync(new Uri(server.Urls.First()), CancellationToken.None);

        if (reachable)
            Assert.Equal(HttpStatusCode.NoContent, (await call).StatusCode);
        else
            Assert.Contains("private address ranges are refused", (await Assert.ThrowsAsync<HttpRequestException>(() => call)).Message);
    }

    [Fact]
    public async Task Redirect_IsNotFollowed()
    {
        await using var server = await StartLoopbackServerAsync();
        var project = new TestProjectContext();
        project.Use(TestProjectContext.NewProject() with
        {
            OAuth2 = new OAuth2Config { Clients = new() { Http = new() { DisallowPrivateIpRanges = false } } },
        });

        var response = await Create(operatorAllows: true).For(project).GetAsync(new Uri(server.Urls.First() + "/redirect"), CancellationToken.None);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    static OutboundHttp Create(bool operatorAllows)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new("LATCHKEY_OUTBOUND_ALLOW_PRIVATE_NETWORKS", operatorAllows ? "true" : "false")])
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        OutboundHttp.Register(services);
        return services.BuildServiceProvider().GetRequiredService<OutboundHttp>();
    }

    static async Task<WebApplication> StartLoopbackServerAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/", () => Results.NoContent());
        app.MapGet("/redirect", () => Results.Redirect("http://127.0.0.1:1/"));
        await app.StartAsync();
        return app;
    }
}
