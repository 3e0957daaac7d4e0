namespace Phase4.AppHost.Postgres;

/// <summary>
/// Whether the server of a data directory has finished starting, read as <c>pg_ctl -w</c> reads it: the lock file
/// <c>postmaster.pid</c> names the postmaster's PID on its first line and, since PostgreSQL 10, its state on the eighth
/// (<c>starting</c>, <c>stopping</c>, <c>ready</c>, <c>standby</c>), which the postmaster rewrites once it accepts
/// connections. A connection attempted before that is refused and the server logs it at FATAL ("the database system
/// is starting up"). Source: postgres/postgres src/include/utils/pidfile.h (LOCK_FILE_LINE_PM_STATUS, PM_STATUS_READY)
/// and src/bin/pg_ctl/pg_ctl.c (wait_for_postmaster_start).
/// </summary>
internal static class PostmasterStatus
{
    public const string FileName = "postmaster.pid";

    private const int PidLine = 0;
    private const int StatusLine = 7;

    /// <summary>The state, or why there is none: no lock file yet, a lock file left by a server that is gone, one still being written.</summary>
    public static string Read(string dataDirectory, Func<int, bool> isRunning)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(Path.Combine(dataDirectory, FileName));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return "not started";
        }
        catch (IOException)
        {
            return "being written";
        }

        if (lines.Length <= StatusLine || !int.TryParse(lines[PidLine], out var pid))
        {
            // The postmaster writes the first lines at once and the state line a little later.
            return "starting";
        }

        // A lock file whose postmaster is gone (a crash, a kill) is stale: the next server replaces it.
        return isRunning(pid) ? lines[StatusLine].Trim() : "stale lock file";
    }

    public static bool IsReady(string status) => status is "ready";

    /// <summary>Whether a process with that id exists (the postmaster's PID is positive; a standalone backend's is negative).</summary>
    public static bool ProcessExists(int pid)
    {
        if (pid <= 0)
        {
            return false;
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
