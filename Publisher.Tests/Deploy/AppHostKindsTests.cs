using Phase4.Publisher.Model;

namespace Phase4.Tests.Deploy;

/// <summary>
/// Phase4's own AppHost says what each resource is and how to probe it (<c>PublishAs</c>, <c>WithServiceDefaultsHealth</c>
/// in AppHost/), and its manifest carries both to the publisher: nothing is inferred from ports or volumes.
/// </summary>
public sealed class AppHostKindsTests
{
    [Fact]
    public async Task Every_resource_of_the_AppHost_has_the_kind_and_the_probes_the_AppHost_gives_it()
    {
        var model = await PublishedAppHostModel.LoadAsync();

        Assert.Equal(
            new Dictionary<string, WorkloadKind>
            {
                ["backend"] = WorkloadKind.Service,
                ["frontend"] = WorkloadKind.Service,
                ["mcpserver"] = WorkloadKind.Service,
                ["migrator"] = WorkloadKind.Job,
                ["postgres"] = WorkloadKind.Database,
            },
            model.Workloads.ToDictionary(workload => workload.Name, workload => workload.Kind));
        // The .NET services' start-up ends with their warm-up (ServiceDefaults' /started); the Node frontend warms
        // nothing up, so its start-up ends once it is alive.
        Assert.Equal(new HttpHealthProbes(8080, "/alive", "/health", "/started"), model.Workloads.Single(workload => workload.Name == "backend").Probes);
        Assert.Equal(new HttpHealthProbes(8080, "/alive", "/health", "/started"), model.Workloads.Single(workload => workload.Name == "mcpserver").Probes);
        Assert.Equal(new HttpHealthProbes(8080, "/alive", "/health", "/alive"), model.Workloads.Single(workload => workload.Name == "frontend").Probes);

        Assert.Null(model.Workloads.Single(workload => workload.Name == "migrator").Probes);
    }
}
