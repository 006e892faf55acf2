using System.Globalization;
using System.Net;

namespace Latchkey.Client;

/// <summary>
/// Maps Latchkey's virtual hosts (<c>api.&lt;domain&gt;</c>, <c>&lt;slug&gt;.projects.&lt;domain&gt;</c>) onto the gateway.
/// </summary>
/// <remarks>
/// Requests always connect to the gateway's host and port as given in the public URL and carry the
/// virtual host in the <c>Host</c> header, because not every resolver maps <c>*.localhost</c> to loopback.
/// </remarks>
public sealed class LatchkeyHosts
{
    public const string DefaultPublicUrl = "http://localhost:4430";

    public LatchkeyHosts(Uri publicUrl, string? domain = null)
    {
        ArgumentNullException.ThrowIfNull(publicUrl);
        if (!publicUrl.IsAbsoluteUri || (publicUrl.Scheme != Uri.UriSchemeHttp && publicUrl.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"The public URL must be an absolute http(s) URL, got '{publicUrl}'.", nameof(publicUrl));

        PublicUrl = new Uri(publicUrl.GetLeftPart(UriPartial.Authority));
        // An IP address cannot carry subdomains, so a gateway addressed by IP still serves *.localhost.
        Domain = string.IsNullOrWhiteSpace(domain)
            ? (IPAddress.TryParse(publicUrl.IdnHost.Trim('[', ']'), out _) ? "localhost" : publicUrl.IdnHost)
            : domain.Trim().TrimEnd('.');
        PortSuffix = publicUrl.IsDefaultPort ? "" : ":" + publicUrl.Port.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Where requests physically go: scheme, host and port of the gateway.</summary>
    public Uri PublicUrl { get; }

    /// <summary>The domain virtual hosts live under (<c>LATCHKEY_DOMAIN</c>), by default the public URL's host.</summary>
    public string Domain { get; }

    string PortSuffix { get; }

    /// <summary>The <c>Host</c> header value of the control plane, e.g. <c>api.localhost:4430</c>.</summary>
    public string ControlPlaneHost => $"api.{Domain}{PortSuffix}";

    /// <summary>The <c>Host</c> header value of a project, e.g. <c>my-slug.projects.localhost:4430</c>.</summary>
    public string ProjectHost(string slug)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(slug);
        return $"{slug}.projects.{Domain}{PortSuffix}";
    }

    /// <summary>The control plane's virtual base URL, e.g. <c>http://api.localhost:4430</c>.</summary>
    public Uri ControlPlaneUrl => new($"{PublicUrl.Scheme}://{ControlPlaneHost}");

    /// <summary>A project's issuer: <c>&lt;scheme&gt;://&lt;slug&gt;.projects.&lt;domain&gt;[:port]</c>, no trailing slash.</summary>
    public string Issuer(string slug) => $"{PublicUrl.Scheme}://{ProjectHost(slug)}";

    /// <summary>
    /// Prepares a request to a virtual host: the request URI points at the gateway and the <c>Host</c>
    /// header names the virtual host. <paramref name="pathAndQuery"/> starts with <c>/</c>.
    /// </summary>
    public HttpRequestMessage CreateRequest(HttpMethod method, string host, string pathAndQuery)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        var request = new HttpRequestMessage(method, new Uri(PublicUrl, pathAndQuery.StartsWith('/') ? pathAndQuery : "/" + pathAndQuery));
        request.Headers.Host = host;
        return request;
    }

    /// <summary>
    /// Points a request whose URI names a virtual host under <see cref="Domain"/> (as found in redirects and
    /// discovery documents) at the gateway, keeping the virtual host in the <c>Host</c> header.
    /// Requests to other hosts are left alone. Returns whether the request was rewritten.
    /// </summary>
    public bool Rewrite(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RequestUri is not { IsAbsoluteUri: true } uri || !IsVirtualHost(uri.IdnHost))
            return false;
        if (string.Equals(uri.IdnHost, PublicUrl.IdnHost, StringComparison.OrdinalIgnoreCase) && uri.Port == PublicUrl.Port)
            return false;

        request.Headers.Host = uri.IsDefaultPort ? uri.IdnHost : $"{uri.IdnHost}:{uri.Port.ToString(CultureInfo.InvariantCulture)}";
        request.RequestUri = new UriBuilder(uri) { Scheme = PublicUrl.Scheme, Host = PublicUrl.IdnHost, Port = PublicUrl.Port }.Uri;
        return true;
    }

    bool IsVirtualHost(string host) =>
        string.Equals(host, Domain, StringComparison.OrdinalIgnoreCase)
        || host.EndsWith("." + Domain, StringComparison.OrdinalIgnoreCase);
}
