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
        foreach (var service in model.Workloads.Where(workload => workload.Kind == WorkloadKind.Service))
        {
            Assert.Equal(new HttpHealthProbes(8080, "/alive", "/health"), service.Probes);
        }

        Assert.Null(model.Workloads.Single(workload => workload.Name == "migrator").Probes);
    }
}
