using Microsoft.Extensions.Logging;
using System.Text;

namespace Phase4.AppHost.Deployment;

/// <summary>
/// The publisher's console inside a pipeline step: each line it prints becomes a log entry of the step, which the
/// Aspire CLI shows under the step's name. The publisher prints names and commands, never secret values.
/// </summary>
internal sealed partial class LoggerTextWriter(ILogger logger) : TextWriter
{
    private readonly StringBuilder _line = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_line)
        {
            if (value == '\n')
            {
                var line = _line.ToString().TrimEnd('\r');
                _line.Clear();
                LogLine(logger, line);
            }
            else
            {
                _line.Append(value);
            }
        }
    }

    public override void Write(string? value)
    {
        foreach (var character in value ?? "")
        {
            Write(character);
        }
    }

    // Synchronous, so lines keep their order (TextWriter's defaults queue each call as a task).
    public override Task WriteAsync(string? value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Line}")]
    private static partial void LogLine(ILogger logger, string line);

    protected override void Dispose(bool disposing)
    {
        if (disposing && _line.Length > 0)
        {
            Write('\n');
        }

        base.Dispose(disposing);
    }
}
