using System.Diagnostics;
using Phase4.Publisher.Model;

namespace Phase4.Publisher.Secrets;

/// <summary>
/// Guards the secrets command against a lost <c>.env</c>: Postgres keeps the password its volume was initialised
/// with, so new random values for a workload that owns a volume would lock the services out of existing data.
/// </summary>
internal static class ComposeVolumes
{
    /// <summary>
    /// The Compose volumes that already exist for <paramref name="outputFolder"/>'s project and hold data whose
    /// secrets <paramref name="missing"/> lacks. Empty when nothing is at risk (or no container engine answers).
    /// </summary>
    public static IReadOnlyList<string> AtRisk(DeploymentModel model, string outputFolder, IReadOnlyCollection<string> missing, IReadOnlySet<string> existingVolumes)
    {
        var projects = ProjectNames(Path.GetFileName(Path.TrimEndingDirectorySeparator(outputFolder)), Environment.GetEnvironmentVariable("COMPOSE_PROJECT_NAME"));
        return model.Workloads
            .Where(workload => workload.Volumes.Count > 0
                && workload.Environment.SelectMany(variable => variable.Value.Inputs).Any(input => missing.Contains(input.VariableName)))
            .SelectMany(workload => workload.Volumes)
            .SelectMany(volume => projects.Select(project => $"{project}_{volume.Name}"))
            .Where(existingVolumes.Contains)
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// The names Compose gives the project: <c>COMPOSE_PROJECT_NAME</c>, else the folder name as Compose v2 keeps it
    /// (lower case, letters, digits, '-' and '_') and as v1 does (letters and digits only).
    /// </summary>
    public static IReadOnlyList<string> ProjectNames(string folderName, string? composeProjectName)
    {
        if (!string.IsNullOrWhiteSpace(composeProjectName))
        {
            return [composeProjectName.Trim()];
        }

        var lower = folderName.ToLowerInvariant();
        var v2 = new string(lower.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_').ToArray());
        var v1 = new string(lower.Where(char.IsAsciiLetterOrDigit).ToArray());
        return v1 == v2 ? [v2] : [v2, v1];
    }

    /// <summary>Volume names from the first of docker and podman that answers; empty when neither does.</summary>
    public static IReadOnlySet<string> ListExisting()
    {
        foreach (var engine in new[] { "docker", "podman" })
        {
            try
            {
                var start = new ProcessStartInfo(engine) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                start.ArgumentList.Add("volume");
                start.ArgumentList.Add("ls");
                start.ArgumentList.Add("--quiet");
                using var process = Process.Start(start)!;
                // Both streams drained at once, so neither can fill up and block the engine's CLI; errors stay quiet.
                var errors = process.StandardError.ReadToEndAsync();
                var output = process.StandardOutput.ReadToEnd();
                errors.Wait();
                process.WaitForExit();
                if (process.ExitCode == 0)
                {
                    return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not installed: try the next engine.
            }
        }

        return new HashSet<string>(StringComparer.Ordinal);
    }
}
