using System.Diagnostics;
using System.Globalization;

namespace Phase4.Tests.Infrastructure;

/// <summary>
/// A cgroup v1 memory controller group of this test run's own (<c>/sys/fs/cgroup/memory/phase4-tests-PID-N</c>) with
/// a hard limit, the way a container runtime applies a pod's <c>resources.limits.memory</c>: a process started in it
/// (before its runtime reads the limit, as in a container) is OOM-killed past the limit. Needs root and the v1 memory
/// controller, as on this project's machines; the group is removed on dispose.
/// </summary>
public sealed class MemoryCgroup : IDisposable
{
    private const string Root = "/sys/fs/cgroup/memory";
    private static int _next;

    private MemoryCgroup(string path, long limitBytes)
    {
        Path = path;
        LimitBytes = limitBytes;
    }

    public string Path { get; }

    public long LimitBytes { get; }

    /// <summary>The most memory the group's processes held at once (<c>memory.max_usage_in_bytes</c>).</summary>
    public long HighWaterMarkBytes => ReadLong("memory.max_usage_in_bytes");

    /// <summary>How often the group hit its limit and had to reclaim (<c>memory.failcnt</c>).</summary>
    public long LimitHits => ReadLong("memory.failcnt");

    /// <summary>Processes the kernel's OOM killer ended in this group (<c>memory.oom_control</c>'s oom_kill).</summary>
    public long OomKills =>
        File.ReadLines(System.IO.Path.Combine(Path, "memory.oom_control"))
            .Select(line => line.Split(' '))
            .Where(parts => parts[0] == "oom_kill")
            .Select(parts => long.Parse(parts[1], CultureInfo.InvariantCulture))
            .FirstOrDefault();

    public static MemoryCgroup Create(long limitBytes)
    {
        if (!Directory.Exists(Root))
        {
            throw new InvalidOperationException($"{Root} is missing: these tests need the cgroup v1 memory controller (and root).");
        }

        var path = System.IO.Path.Combine(Root, $"phase4-tests-{Environment.ProcessId}-{Interlocked.Increment(ref _next)}");
        Directory.CreateDirectory(path);
        var group = new MemoryCgroup(path, limitBytes);
        File.WriteAllText(System.IO.Path.Combine(path, "memory.limit_in_bytes"), limitBytes.ToString(CultureInfo.InvariantCulture));
        // Swap too, where swap accounting is on: the limit is on memory plus swap, as for a container.
        var withSwap = System.IO.Path.Combine(path, "memory.memsw.limit_in_bytes");
        if (File.Exists(withSwap))
        {
            File.WriteAllText(withSwap, limitBytes.ToString(CultureInfo.InvariantCulture));
        }

        return group;
    }

    /// <summary>
    /// A start for <paramref name="command"/> that first moves its own shell into the group, then execs the command,
    /// so the process runs in the group from its first instruction (the .NET runtime reads the limit at start-up).
    /// </summary>
    public ProcessStartInfo StartInGroup(string command, IEnumerable<string> arguments)
    {
        var quoted = string.Join(' ', new[] { command }.Concat(arguments).Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        return new ProcessStartInfo("sh", ["-c", $"echo $$ > '{Path}/cgroup.procs' && exec {quoted}"]);
    }

    private long ReadLong(string file) =>
        long.Parse(File.ReadAllText(System.IO.Path.Combine(Path, file)).Trim(), CultureInfo.InvariantCulture);

    public void Dispose()
    {
        // The processes were stopped by their owners; wait briefly for the kernel to see the group empty.
        for (var attempt = 0; attempt < 50; attempt++)
        {
            try
            {
                Directory.Delete(Path);
                return;
            }
            catch (IOException) when (attempt < 49)
            {
                Thread.Sleep(100);
            }
        }
    }
}
