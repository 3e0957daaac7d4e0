using System.Diagnostics;
using System.Globalization;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Frontend;

/// <summary>
/// The frontend's Node server (<c>node server/index.js</c>, as the AppHost and the image start it) as a real process on
/// a free loopback port. <c>scripts/prepare.mjs</c> runs first, as in the AppHost: it installs and builds
/// <c>Frontend/</c> only when something changed.
/// </summary>
public static class FrontendProcess
{
    private static readonly string Directory = Path.Combine(RepositoryRoot.Folder, "Frontend");

    public static async Task<ServiceProcess> StartAsync(Uri backend, Uri mcpServer, IReadOnlyDictionary<string, string?> environment)
    {
        await PrepareAsync();
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var start = new ProcessStartInfo("node", ["server/index.js"]) { WorkingDirectory = Directory };
        start.Environment["PORT"] = baseAddress.Port.ToString(CultureInfo.InvariantCulture);
        start.Environment["HOST"] = "127.0.0.1";
        start.Environment["BACKEND_URL"] = backend.ToString();
        start.Environment["MCP_URL"] = mcpServer.ToString();
        var frontend = ServiceProcess.Start(start, environment, baseAddress);
        await frontend.WaitUntilHealthyAsync();
        return frontend;
    }

    private static async Task PrepareAsync()
    {
        using var prepare = Process.Start(new ProcessStartInfo("node", ["scripts/prepare.mjs"])
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = prepare.StandardOutput.ReadToEndAsync();
        var errors = prepare.StandardError.ReadToEndAsync();
        await prepare.WaitForExitAsync();
        Assert.True(prepare.ExitCode == 0, $"scripts/prepare.mjs failed:\n{await output}\n{await errors}");
    }
}
