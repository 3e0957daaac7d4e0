using System.ComponentModel;
using System.Diagnostics;
using Phase4.Publisher.Secrets;

namespace Phase4.Publisher.Deploy;

/// <summary>
/// Runs the external tools the deployment verbs drive (docker, podman, minikube, kubectl) from the repository root,
/// printing each command first; with <c>--dry-run</c> it prints and does not run. Queries of local state (the
/// kubeconfig) run in both modes, since the printed commands depend on them.
/// </summary>
internal sealed class ToolRunner(string workingDirectory, bool dryRun, TextWriter console, ToolEnvironment? environment = null)
{
    private readonly ToolEnvironment _environment = environment ?? ToolEnvironment.Inherited;

    public bool DryRun => dryRun;

    public TextWriter Console => console;

    /// <summary>
    /// Prints the command; unless in dry-run mode, runs it with its output on the console (and <paramref name="input"/>
    /// on its standard input), failing on a non-zero exit.
    /// </summary>
    public async Task RunAsync(string[] command, StandardInput? input = null)
    {
        Print(command, input);
        if (dryRun)
        {
            return;
        }

        // A tool's own output goes where the verb's messages go: straight to this process's console (progress and
        // colours intact), or line by line into the verb's writer (an AppHost pipeline step logs it).
        var forward = !ReferenceEquals(console, System.Console.Out);
        using var process = Start(command, redirect: forward, input);
        var writing = WriteInputAsync(process, input);
        if (forward)
        {
            await Task.WhenAll(ForwardAsync(process.StandardOutput), ForwardAsync(process.StandardError));
        }

        await writing;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command[0]} failed ({process.ExitCode}).");
        }
    }

    private async Task ForwardAsync(StreamReader output)
    {
        while (await output.ReadLineAsync() is { } line)
        {
            lock (console)
            {
                console.WriteLine(line);
            }
        }
    }

    /// <summary>
    /// A command whose output the verb reads: printed, and run unless in dry-run mode (then null). A non-zero exit
    /// fails with the tool's own error message.
    /// </summary>
    public async Task<string?> ReadAsync(string[] command, StandardInput? input = null)
    {
        Print(command, input);
        return dryRun ? null : await CaptureAsync(command, failQuietly: false, input);
    }

    /// <summary>
    /// A command whose exit code, output and errors the verb judges itself (a server-side dry run): printed, and run
    /// unless in dry-run mode (then null).
    /// </summary>
    public async Task<ToolResult?> CheckAsync(string[] command, StandardInput? input = null)
    {
        Print(command, input);
        if (dryRun)
        {
            return null;
        }

        using var process = Start(command, redirect: true, input);
        var writing = WriteInputAsync(process, input);
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await writing;
        await process.WaitForExitAsync();
        return new ToolResult(process.ExitCode, await output, await errors);
    }

    /// <summary>
    /// Runs a command with its standard input read from <paramref name="input"/> and/or its standard output written to
    /// <paramref name="output"/> as bytes (a database dump); its errors go to the console. Printed with the redirections;
    /// unless in dry-run mode, a non-zero exit fails with the tool's own messages.
    /// </summary>
    public async Task StreamAsync(string[] command, string? input = null, string? output = null)
    {
        console.WriteLine("$ " + string.Join(' ', command.Select(Quote)) + (input is null ? "" : " < " + Quote(input)) + (output is null ? "" : " > " + Quote(output)));
        if (dryRun)
        {
            return;
        }

        var start = StartInfo(command, redirect: false);
        start.RedirectStandardInput = input is not null;
        start.RedirectStandardOutput = output is not null;
        start.RedirectStandardError = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {command[0]}.");
        var errors = process.StandardError.ReadToEndAsync();
        var copies = new List<Task>();
        if (input is not null)
        {
            copies.Add(Task.Run(async () =>
            {
                await using (var source = File.OpenRead(input))
                {
                    await source.CopyToAsync(process.StandardInput.BaseStream);
                }

                process.StandardInput.Close();
            }));
        }

        if (output is not null)
        {
            copies.Add(Task.Run(async () =>
            {
                File.Delete(output);
                await using var target = new FileStream(output, SecretFiles.OwnerOnly(FileMode.CreateNew));
                await process.StandardOutput.BaseStream.CopyToAsync(target);
            }));
        }

        await Task.WhenAll(copies);
        await process.WaitForExitAsync();
        var messages = (await errors).Trim();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command[0]} failed ({process.ExitCode}){(messages.Length > 0 ? ": " + messages : ".")}");
        }

        if (messages.Length > 0)
        {
            console.WriteLine(messages);
        }
    }

    /// <summary>A read-only query of local state, run in both modes and not printed; null when the tool fails or is missing.</summary>
    public Task<string?> QueryAsync(string[] command) => CaptureAsync(command, failQuietly: true);

    /// <summary>The command as a shell line; what it reads on standard input is described in a comment, never shown.</summary>
    public void Print(string[] command, StandardInput? input = null) =>
        console.WriteLine("$ " + string.Join(' ', command.Select(Quote)) + (input is null ? "" : $"  # standard input: {input.Description}"));

    /// <summary>Whether <paramref name="program"/> can be started (on the PATH, or mapped to a path).</summary>
    public bool Exists(string program) => _environment.Resolve(program) is { } path && (Path.IsPathRooted(path)
        ? File.Exists(path)
        : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(folder => File.Exists(Path.Combine(folder, path))));

    private async Task<string?> CaptureAsync(string[] command, bool failQuietly, StandardInput? input = null)
    {
        Process process;
        try
        {
            process = Start(command, redirect: true, input);
        }
        catch (Win32Exception) when (failQuietly)
        {
            return null;
        }

        using (process)
        {
            // Both streams drained at once (and the input written meanwhile), so none can fill up and block the tool.
            var writing = WriteInputAsync(process, input);
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await writing;
            await process.WaitForExitAsync();
            if (process.ExitCode == 0)
            {
                return await output;
            }

            return failQuietly ? null : throw new InvalidOperationException($"{string.Join(' ', command)} failed ({process.ExitCode}): {(await errors).Trim()}");
        }
    }

    private Process Start(string[] command, bool redirect, StandardInput? input = null)
    {
        var start = StartInfo(command, redirect);
        if (input is not null)
        {
            start.RedirectStandardInput = true;
            start.StandardInputEncoding = new System.Text.UTF8Encoding(false);
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"Could not start {command[0]}.");
    }

    /// <summary>
    /// Writes the input and closes the stream (the tool reads to its end), on a pool thread: a pipe write can block until
    /// the tool reads, while the caller drains the tool's output. A tool that exits early ends the write.
    /// </summary>
    private static Task WriteInputAsync(Process process, StandardInput? input) => input is null ? Task.CompletedTask : Task.Run(async () =>
    {
        try
        {
            await process.StandardInput.WriteAsync(input.Text);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The tool closed its input (it failed first): its exit code and errors say why.
        }
    });

    private ProcessStartInfo StartInfo(string[] command, bool redirect)
    {
        var start = new ProcessStartInfo(_environment.Resolve(command[0]))
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = redirect,
            RedirectStandardError = redirect,
            UseShellExecute = false,
        };
        foreach (var argument in command[1..])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in _environment.Variables)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    private static string Quote(string argument) => argument.Length == 0 || argument.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '$' or '`' or '*' or '?' or '[' or '|' or '&' or ';' or '(' or ')' or '<' or '>' or '{' or '}')
        ? "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'"
        : argument;
}

/// <summary>
/// What a command reads on its standard input (manifests holding Secrets, a values file, a backup's plain text): so
/// that nothing sensitive is on a command line (visible to every user in the process list) or in a file.
/// <see cref="Description"/> is what the printed command shows instead of the text.
/// </summary>
internal sealed record StandardInput(string Text, string Description)
{
    /// <summary>The description only: a record would print its text.</summary>
    public override string ToString() => Description;
}

/// <summary>What a command returned: its exit code, its standard output and its errors.</summary>
internal sealed record ToolResult(int ExitCode, string Output, string Errors);

/// <summary>Where the tools are and what environment they run with: the process's own, or a test's (a kubeconfig, a kubectl path).</summary>
internal sealed record ToolEnvironment(IReadOnlyDictionary<string, string> Programs, IReadOnlyDictionary<string, string> Variables)
{
    public static ToolEnvironment Inherited { get; } = new(new Dictionary<string, string>(), new Dictionary<string, string>());

    public string Resolve(string program) => Programs.GetValueOrDefault(program, program);
}
