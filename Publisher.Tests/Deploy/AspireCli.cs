using System.Diagnostics;
using System.Text.RegularExpressions;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Deploy;

/// <summary>
/// Runs the Aspire CLI pinned in .config/dotnet-tools.json (<c>dotnet tool run aspire</c>; scripts/test.sh restores it)
/// on this repository's already-built AppHost, non-interactively, as a user would.
/// </summary>
internal static partial class AspireCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>
    /// <c>aspire COMMAND [ARGS] -- [APPHOST ARGS]</c> from the repository root; the exit code and everything printed,
    /// colours stripped. Standard input is closed so a prompt fails instead of waiting. The options are those
    /// <c>aspire publish|deploy|destroy|do --help</c> lists in 13.6.5: <c>--apphost</c> (the project file),
    /// <c>--no-build</c> ("Do not build or restore the project before running"), <c>--non-interactive</c> ("disabling
    /// all interactive prompts"; destroy then requires <c>--yes</c>), and "Additional Arguments: Arguments passed to the
    /// application that is being run" after <c>--</c>.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string[] command, string[] appHostArguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot.Folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])["tool", "run", "aspire", .. command, "--apphost", "AppHost/AppHost.csproj", "--no-build", "--non-interactive", "--nologo"])
        {
            start.ArgumentList.Add(argument);
        }

        if (appHostArguments.Length > 0)
        {
            start.ArgumentList.Add("--");
            foreach (var argument in appHostArguments)
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"aspire {string.Join(' ', command)} did not finish within {Timeout.TotalMinutes} minutes:\n{await output}");
        }

        return (process.ExitCode, Colours().Replace(await output + await errors, ""));
    }

    /// <summary>
    /// The lines a step logged (<c>HH:MM:SS (step) i [INF] text</c>), as text. The CLI wraps a long line at a space onto
    /// lines of their own (no time, no step): they are joined back.
    /// </summary>
    public static IReadOnlyList<string> StepLines(string output, string step)
    {
        var lines = new List<(string Step, string Text)>();
        var continues = false;
        foreach (var raw in output.Split('\n').Select(line => line.TrimEnd('\r')))
        {
            var match = StepLine().Match(raw);
            if (match.Success)
            {
                lines.Add((match.Groups[1].Value, match.Groups[2].Value));
                continues = true;
            }
            else if (continues && raw.Length > 0 && !Timestamp().IsMatch(raw) && !raw.StartsWith("---", StringComparison.Ordinal))
            {
                var (owner, text) = lines[^1];
                lines[^1] = (owner, text.EndsWith(' ') ? text + raw : text + " " + raw);
            }
            else
            {
                continues = false;
            }
        }

        return lines.Where(line => line.Step == step).Select(line => line.Text.TrimEnd()).ToList();
    }

    [GeneratedRegex(@"^\d\d:\d\d:\d\d ")]
    private static partial Regex Timestamp();

    [GeneratedRegex(@"\x1b\[[0-9;]*[A-Za-z]")]
    private static partial Regex Colours();

    [GeneratedRegex(@"^\S+ \(([a-z0-9-]+)\) \S+ \[INF\] (.*)$")]
    private static partial Regex StepLine();
}
