using System.Runtime.InteropServices;

namespace Phase4.Publisher.Secrets;

/// <summary>
/// The env files Kustomize's secretGenerator reads (<see cref="SecretFiles"/>), written owner-only for as long as
/// <c>kubectl kustomize</c> runs and removed on every way out: <see cref="Dispose"/> (a <c>using</c>: success, a failing
/// tool, an exception) and SIGINT, SIGTERM or SIGHUP (Ctrl-C, a closed terminal), whose default handling ends the
/// process without running <c>finally</c> blocks (.NET docs, PosixSignalRegistration: the handler runs before the
/// default action, which goes on unless cancelled). A file that was there before (an earlier publisher's plain-text
/// file) is put back as it was, so a failed render loses nothing.
/// </summary>
internal sealed class TransientSecretFiles : IDisposable
{
    private readonly Dictionary<string, string?> _earlier = new(StringComparer.Ordinal);

    private readonly List<PosixSignalRegistration> _signals = [];

    private readonly Lock _gate = new();

    private bool _removed;

    private TransientSecretFiles()
    {
    }

    /// <summary>Writes each workload's file (by workload name) under <paramref name="outputFolder"/>.</summary>
    public static TransientSecretFiles Write(string outputFolder, IReadOnlyDictionary<string, IReadOnlyList<KeyValuePair<string, string>>> secrets)
    {
        var files = new TransientSecretFiles();
        foreach (var workload in secrets.Keys)
        {
            var path = Path.Combine(outputFolder, workload, SecretFiles.FileName(workload));
            files._earlier[path] = File.Exists(path) ? File.ReadAllText(path) : null;
        }

        foreach (var signal in (PosixSignal[])[PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP])
        {
            files._signals.Add(PosixSignalRegistration.Create(signal, _ => files.Remove()));
        }

        try
        {
            SecretFiles.Write(outputFolder, secrets);
        }
        catch
        {
            files.Dispose();
            throw;
        }

        return files;
    }

    public void Dispose()
    {
        Remove();
        foreach (var signal in _signals)
        {
            signal.Dispose();
        }
    }

    private void Remove()
    {
        lock (_gate)
        {
            if (_removed)
            {
                return;
            }

            foreach (var (path, earlier) in _earlier)
            {
                if (earlier is null)
                {
                    File.Delete(path);
                }
                else
                {
                    SecretFiles.WriteOwnerOnly(path, earlier);
                }
            }

            _removed = true;
        }
    }
}
