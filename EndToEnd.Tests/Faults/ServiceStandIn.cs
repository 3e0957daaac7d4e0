using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Faults;

/// <summary>
/// HAProxy (Debian's package) standing in for a Kubernetes Service in front of backend pods, with the configuration
/// bench/rolling-update.sh uses (bench/rolling-update/haproxy.cfg): three endpoint slots, health checks on /health,
/// and an admin socket through which a slot is pointed at a pod, put in rotation and taken out.
/// </summary>
internal sealed class ServiceStandIn : IAsyncDisposable
{
    private readonly ServiceProcess _haproxy;
    private readonly int _adminPort;

    private ServiceStandIn(ServiceProcess haproxy, int adminPort)
    {
        _haproxy = haproxy;
        _adminPort = adminPort;
    }

    /// <summary>Where clients reach the Service.</summary>
    public Uri BaseAddress => _haproxy.BaseAddress;

    public static async Task<ServiceStandIn> StartAsync()
    {
        var port = FreePort.Next();
        var adminPort = FreePort.Next();
        var configuration = Path.Combine(RepositoryRoot.Folder, "bench", "rolling-update", "haproxy.cfg");
        var environment = new Dictionary<string, string?>
        {
            ["ROLLING_LB_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["ROLLING_LB_ADMIN_PORT"] = adminPort.ToString(CultureInfo.InvariantCulture),
        };
        ServiceProcess haproxy;
        try
        {
            // Debian installs it in /usr/sbin, which only root's PATH has.
            var binary = File.Exists("/usr/sbin/haproxy") ? "/usr/sbin/haproxy" : "haproxy";
            haproxy = ServiceProcess.Start(new ProcessStartInfo(binary, ["-db", "-f", configuration]), environment, new Uri($"http://127.0.0.1:{port}"));
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("HAProxy is missing: apt-get install haproxy (.ci/run installs it).", e);
        }

        var service = new ServiceStandIn(haproxy, adminPort);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await service.CommandAsync("show info");
                return service;
            }
            catch (SocketException) when (attempt < 100 && !haproxy.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Points <paramref name="slot"/> at <paramref name="pod"/>; it stays out of rotation until <see cref="AddAsync"/>.</summary>
    public Task PointAsync(string slot, Uri pod) =>
        CommandAsync($"set server pods/{slot} addr {pod.Host} port {pod.Port.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>The endpoint joins the Service (the pod is ready): returns once HAProxy reports it UP.</summary>
    public async Task AddAsync(string slot)
    {
        await CommandAsync($"set server pods/{slot} state ready");
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (await StatusAsync(slot) == "UP")
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"HAProxy does not report {slot} UP but {await StatusAsync(slot)}:\n{_haproxy.Output}");
    }

    /// <summary>The endpoint leaves the Service (the pod is terminating).</summary>
    public Task RemoveAsync(string slot) => CommandAsync($"set server pods/{slot} state maint");

    /// <summary>HAProxy's view of <paramref name="slot"/>: UP, DOWN, MAINT...</summary>
    public async Task<string> StatusAsync(string slot)
    {
        // `show stat` is CSV: proxy name, server name, ... the 18th field is the status.
        var row = (await CommandAsync("show stat")).Split('\n').Select(line => line.Split(','))
            .Single(fields => fields.Length > 17 && fields[0] == "pods" && fields[1] == slot);
        return row[17];
    }

    private async Task<string> CommandAsync(string command)
    {
        using var admin = new TcpClient();
        await admin.ConnectAsync("127.0.0.1", _adminPort);
        await using var stream = admin.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(command + "\n"));
        // The admin socket answers one command and closes the connection.
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    public ValueTask DisposeAsync() => _haproxy.DisposeAsync();
}
