using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Phase4.ServiceDefaults;

/// <summary>
/// The proxies whose <c>X-Forwarded-For</c>, <c>-Proto</c> and <c>-Host</c> are believed (section
/// <c>ForwardedHeaders</c>: <c>KnownProxies</c> addresses and <c>KnownNetworks</c> CIDR ranges, comma-separated).
/// </summary>
public sealed class TrustedProxyOptions
{
    public const string SectionName = "ForwardedHeaders";

    public string? KnownProxies { get; set; }

    public string? KnownNetworks { get; set; }

    internal IReadOnlyList<IPAddress> Proxies => Split(KnownProxies).Select(IPAddress.Parse).ToList();

    internal IReadOnlyList<IPNetwork> Networks => Split(KnownNetworks).Select(IPNetwork.Parse).ToList();

    internal bool IsValid() =>
        Split(KnownProxies).All(p => IPAddress.TryParse(p, out _)) && Split(KnownNetworks).All(n => IPNetwork.TryParse(n, out _));

    private static string[] Split(string? value) =>
        value?.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}

/// <summary>
/// Forwarded headers are applied only from the configured proxies, and only once per request. ASP.NET Core's own
/// defaults trust every loopback address (127.0.0.0/8 and ::1) and, once <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED</c>
/// is true (Aspire's manifest sets it for projects), clear both lists, which makes the middleware believe anyone;
/// that switch also adds the middleware a second time through a startup filter. Here the lists are always replaced:
/// by the configured ones, by loopback in Development when none are configured, by nothing otherwise (then no
/// forwarded header is believed at all); and the middleware is added only when that switch has not added it already.
/// </summary>
internal static class ForwardedHeadersSetup
{
    /// <summary>The configuration key behind <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED</c>, as ASP.NET Core reads it.</summary>
    private const string FrameworkSwitch = "ForwardedHeaders_Enabled";

    public static void AddTrustedProxies(IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TrustedProxyOptions>()
            .Bind(builder.Configuration.GetSection(TrustedProxyOptions.SectionName))
            .Validate(o => o.IsValid(),
                "ForwardedHeaders: KnownProxies must be IP addresses and KnownNetworks CIDR ranges (e.g. 10.244.0.0/16), comma-separated.")
            .ValidateOnStart();

        // Registered after the framework's own setup (the web host's defaults), so it runs after it and has the last word.
        builder.Services.AddOptions<ForwardedHeadersOptions>()
            .Configure<IOptions<TrustedProxyOptions>, IHostEnvironment>((options, trusted, environment) =>
            {
                options.KnownProxies.Clear();
                options.KnownIPNetworks.Clear();
                var proxies = trusted.Value.Proxies;
                var networks = trusted.Value.Networks;
                if (proxies.Count == 0 && networks.Count == 0 && environment.IsDevelopment())
                {
                    proxies = [IPAddress.IPv6Loopback];
                    networks = [new IPNetwork(IPAddress.Loopback, 8)];
                }

                foreach (var proxy in proxies)
                {
                    options.KnownProxies.Add(proxy);
                }

                foreach (var network in networks)
                {
                    options.KnownIPNetworks.Add(network);
                }

                // With both lists empty the middleware would trust every sender: then it must do nothing at all.
                options.ForwardedHeaders = proxies.Count + networks.Count == 0
                    ? ForwardedHeaders.None
                    : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
                options.ForwardLimit = 1;
            });
    }

    /// <summary>Adds the middleware unless ASP.NET Core's startup filter already put it first in the pipeline.</summary>
    public static void UseTrustedForwardedHeaders(WebApplication app)
    {
        if (!string.Equals("true", app.Configuration[FrameworkSwitch], StringComparison.OrdinalIgnoreCase))
        {
            app.UseForwardedHeaders();
        }
    }
}
