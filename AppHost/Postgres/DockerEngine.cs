using System.ComponentModel;
using System.Diagnostics;

namespace Phase4.AppHost.Postgres;

internal static class DockerEngine
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    /// <summary>True when <c>docker info</c> reaches a daemon within a few seconds (the client alone is not enough).</summary>
    public static bool Answers()
    {
        var start = new ProcessStartInfo("docker", ["info", "--format", "{{.ServerVersion}}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return false;
            }

            var serverVersion = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(ProbeTimeout))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0 && !string.IsNullOrWhiteSpace(serverVersion.Result);
        }
        catch (Win32Exception)
        {
            // No docker executable on the PATH.
            return false;
        }
    }
}
