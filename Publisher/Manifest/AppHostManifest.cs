using System.Diagnostics;

namespace Phase4.Publisher.Manifest;

/// <summary>
/// Produces the AppHost's JSON manifest by running the AppHost in manifest-publishing mode, as Aspirate does. Only
/// references to parameters are written, so no secret value is needed and nothing prompts: stdin is closed and a
/// time-out turns any wait into a clear failure instead of a hang.
/// </summary>
internal static class AppHostManifest
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static async Task<string> PublishAsync(RepositoryLayout repository, string outputFolder, AppHostBuild build, CancellationToken cancellationToken)
    {
        var manifestPath = Path.Combine(outputFolder, "manifest.json");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = repository.Root,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])["run", "--project", repository.AppHostProject, "--no-launch-profile"])
        {
            start.ArgumentList.Add(argument);
        }

        if (build.NoBuild)
        {
            start.ArgumentList.Add("--no-build");
        }

        if (build.Configuration is not null)
        {
            start.ArgumentList.Add("--configuration");
            start.ArgumentList.Add(build.Configuration);
        }

        foreach (var argument in (string[])["--", "--publisher", "manifest", "--output-path", manifestPath])
        {
            start.ArgumentList.Add(argument);
        }

        // The same model on every machine: no developer environment or launch profile leaks into publishing.
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_NOLOGO"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException(
                $"The AppHost did not finish publishing its manifest within {Timeout.TotalMinutes} minutes (waiting for input?).");
        }

        if (process.ExitCode != 0 || !File.Exists(manifestPath))
        {
            throw new InvalidOperationException(
                $"Publishing the AppHost manifest failed ({process.ExitCode}):\n{await output}\n{await errors}");
        }

        return manifestPath;
    }
}

/// <summary>How to run the AppHost: build it first (the default) or use an existing build of a configuration.</summary>
internal sealed record AppHostBuild(bool NoBuild = false, string? Configuration = null);
