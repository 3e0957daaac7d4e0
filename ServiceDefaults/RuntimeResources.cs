using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Logs once at start-up what the runtime sees of its container: processors and the memory the garbage collector may
/// use. In a pod with a memory limit the runtime sizes its heap from the limit (75% by default), so `kubectl logs`
/// shows whether the limit was seen; bench/limits.sh reads this line under a cgroup's limit.
/// </summary>
internal sealed partial class RuntimeResources(ILogger<RuntimeResources> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var memory = GC.GetGCMemoryInfo();
        LogResources(logger, Environment.ProcessorCount, memory.TotalAvailableMemoryBytes / (1024 * 1024),
            System.Runtime.GCSettings.IsServerGC ? "Server" : "Workstation");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Runtime resources: {Processors} processors, GC heap limit {HeapLimitMegabytes} MB ({GcMode} GC)")]
    private static partial void LogResources(ILogger logger, int processors, long heapLimitMegabytes, string gcMode);

    public static void Add(IServiceCollection services) => services.AddHostedService<RuntimeResources>();
}
