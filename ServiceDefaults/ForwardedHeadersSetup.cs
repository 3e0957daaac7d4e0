using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Phase4.ServiceDefaults;

/// <summary>
/// The proxies whose <c>X-Forwarded-For</c>, <c>-Proto</c> and <c>-Host</c> are believed (section
/// <c>ForwardedHeaders</c>): <c>KnownProxies</c>, addresses or host names (e.g. <c>frontend</c>, the compose service:
/// its current addresses, looked up again every <see cref="RefreshInterval"/>), and <c>KnownNetworks</c>, CIDR ranges;
/// comma-separated.
/// </summary>
public sealed class TrustedProxyOptions
{
    public const string SectionName = "ForwardedHeaders";

    public string? KnownProxies { get; set; }

    public string? KnownNetworks { get; set; }

    /// <summary>How often the host names in <see cref="KnownProxies"/> are looked up again (a restarted proxy's new address).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    internal IReadOnlyList<IPAddress> Addresses => Split(KnownProxies).Where(p => IPAddress.TryParse(p, out _)).Select(IPAddress.Parse).ToList();

    internal IReadOnlyList<string> HostNames => Split(KnownProxies).Where(p => !IPAddress.TryParse(p, out _)).ToList();

    internal IReadOnlyList<IPNetwork> Networks => Split(KnownNetworks).Select(IPNetwork.Parse).ToList();

    internal bool IsValid() =>
        Split(KnownProxies).All(p => IPAddress.TryParse(p, out _) || Uri.CheckHostName(p) == UriHostNameType.Dns)
        && Split(KnownNetworks).All(n => IPNetwork.TryParse(n, out _))
        && RefreshInterval >= TimeSpan.FromSeconds(1) && RefreshInterval <= TimeSpan.FromMinutes(10);

    private static string[] Split(string? value) =>
        value?.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}

/// <summary>
/// Forwarded headers are applied only from the configured proxies, and only once per request. ASP.NET Core's own
/// defaults trust every loopback address (127.0.0.0/8 and ::1) and, once <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED</c>
/// is true (Aspire's manifest sets it for projects), clear both lists, which makes the middleware believe anyone;
/// that switch also adds the middleware a second time through a startup filter. Here the framework's own middleware is
/// told to do nothing (whoever adds it), and ASP.NET Core's <see cref="ForwardedHeadersMiddleware"/> runs once, first,
/// with our lists: the configured ones (host names resolved to their current addresses by <see cref="TrustedProxies"/>),
/// loopback in Development when none are configured, nobody otherwise (then no forwarded header is believed at all).
/// </summary>
internal static class ForwardedHeadersSetup
{
    public static void AddTrustedProxies(IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TrustedProxyOptions>()
            .Bind(builder.Configuration.GetSection(TrustedProxyOptions.SectionName))
            .Validate(o => o.IsValid(),
                "ForwardedHeaders: KnownProxies must be IP addresses or host names and KnownNetworks CIDR ranges (e.g. 10.244.0.0/16), " +
                "comma-separated; RefreshInterval between 1 s and 10 min.")
            .ValidateOnStart();

        // Registered after the web host's defaults, so it has the last word: the framework's copy, if the switch adds
        // it, forwards nothing.
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure(options =>
        {
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            options.ForwardedHeaders = ForwardedHeaders.None;
        });

        builder.Services.AddSingleton<TrustedProxies>();
        builder.Services.AddHostedService(services => services.GetRequiredService<TrustedProxies>());
    }

    public static void UseTrustedForwardedHeaders(WebApplication app)
    {
        var trusted = app.Services.GetRequiredService<TrustedProxies>();
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();
        app.Use(next =>
        {
            Snapshot? current = null;
            return context =>
            {
                var options = trusted.Current;
                var snapshot = Volatile.Read(ref current);
                if (snapshot is null || !ReferenceEquals(snapshot.Options, options))
                {
                    // A new set of addresses: a middleware of its own (the options are read per request, never changed).
                    snapshot = new Snapshot(options, new ForwardedHeadersMiddleware(next, loggers, Options.Create(options)));
                    Volatile.Write(ref current, snapshot);
                }

                return snapshot.Middleware.Invoke(context);
            };
        });
    }

    private sealed record Snapshot(ForwardedHeadersOptions Options, ForwardedHeadersMiddleware Middleware);
}

/// <summary>
/// The forwarded-headers options in force: the configured addresses and networks plus the current addresses of the
/// configured host names, looked up at start-up and every <see cref="TrustedProxyOptions.RefreshInterval"/> after
/// (a name that does not resolve yet, such as a proxy that has not started, is trusted once it does).
/// </summary>
internal sealed partial class TrustedProxies(IOptions<TrustedProxyOptions> configured, IHostEnvironment environment, ILogger<TrustedProxies> logger)
    : BackgroundService
{
    private IReadOnlyList<IPAddress> _resolved = [];
    private ForwardedHeadersOptions? _current;

    public ForwardedHeadersOptions Current => _current ??= Build([]);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var names = configured.Value.HostNames;
        if (names.Count == 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(configured.Value.RefreshInterval);
        do
        {
            await RefreshAsync(names, stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Looks the host names up now; the options change only when the addresses do.</summary>
    internal async Task RefreshAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var addresses = new List<IPAddress>();
        foreach (var name in names)
        {
            try
            {
                addresses.AddRange(await Dns.GetHostAddressesAsync(name, cancellationToken));
            }
            catch (System.Net.Sockets.SocketException)
            {
                LogUnresolved(logger, name);
            }
        }

        var distinct = addresses.Select(a => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).Distinct().OrderBy(a => a.ToString(), StringComparer.Ordinal).ToList();
        if (!distinct.SequenceEqual(_resolved))
        {
            _resolved = distinct;
            Volatile.Write(ref _current, Build(distinct));
        }
    }

    private ForwardedHeadersOptions Build(IReadOnlyList<IPAddress> resolved)
    {
        var proxies = configured.Value.Addresses.Concat(resolved).ToList();
        var networks = configured.Value.Networks;
        if (proxies.Count == 0 && networks.Count == 0 && configured.Value.HostNames.Count == 0 && environment.IsDevelopment())
        {
            proxies = [IPAddress.IPv6Loopback];
            networks = [new IPNetwork(IPAddress.Loopback, 8)];
        }

        var options = new ForwardedHeadersOptions { ForwardLimit = 1 };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
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
        return options;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Trusted proxy {Name} does not resolve yet: its forwarded headers are not believed until it does")]
    private static partial void LogUnresolved(ILogger logger, string name);
}
