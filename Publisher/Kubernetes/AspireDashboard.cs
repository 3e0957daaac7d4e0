using System.Text.RegularExpressions;
using Phase4.Publisher.Model;

namespace Phase4.Publisher.Kubernetes;

/// <summary>
/// The standalone Aspire dashboard (<c>generate --include-dashboard</c>, as Aspirate's option): one pod receiving
/// every .NET service's OTLP telemetry. Its UI asks for a browser token and its OTLP endpoints for an API key, both
/// generated into its Secret like the other deployment inputs; the services get the key in theirs.
/// </summary>
internal static partial class AspireDashboard
{
    public const string Name = "aspire-dashboard";

    public const string UiPortName = "http";

    public const int UiPort = 18888;

    public const int OtlpGrpcPort = 18889;

    public const int OtlpHttpPort = 18890;

    /// <summary>The header the dashboard reads the OTLP API key from.</summary>
    public const string ApiKeyHeader = "x-otlp-api-key";

    public static readonly DeploymentInput BrowserToken = new("aspire-dashboard-browser-token", Secret: true, new RandomPasswordGenerator(32));

    public static readonly DeploymentInput OtlpApiKey = new("aspire-dashboard-otlp-api-key", Secret: true, new RandomPasswordGenerator(32));


    /// <summary>The dashboard's image, tagged with the Aspire version the AppHost uses (major.minor), so they move together.</summary>
    public static string Image(RepositoryLayout repository)
    {
        var packages = File.ReadAllText(Path.Combine(repository.Root, "Directory.Packages.props"));
        var version = AspireVersion().Match(packages);
        return version.Success
            ? $"mcr.microsoft.com/dotnet/aspire-dashboard:{version.Groups["major"].Value}.{version.Groups["minor"].Value}"
            : throw new InvalidOperationException("Directory.Packages.props names no Aspire.Hosting.AppHost version to match the dashboard image to.");
    }

    public static Workload Workload(RepositoryLayout repository) => new(
        Name,
        WorkloadKind.Observability,
        new PublishedImage(Image(repository)),
        [
            // Only the UI is meant for people; the OTLP ports take telemetry from the app's pods.
            new WorkloadPort(UiPortName, "http", UiPort, External: true),
            new WorkloadPort("otlp-grpc", "http", OtlpGrpcPort, External: false),
            new WorkloadPort("otlp-http", "http", OtlpHttpPort, External: false),
        ],
        [
            Literal("ASPNETCORE_URLS", $"http://0.0.0.0:{UiPort}"),
            Literal("ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", $"http://0.0.0.0:{OtlpGrpcPort}"),
            Literal("ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL", $"http://0.0.0.0:{OtlpHttpPort}"),
            Literal("Dashboard__Frontend__AuthMode", "BrowserToken"),
            Input("Dashboard__Frontend__BrowserToken", BrowserToken),
            Literal("Dashboard__Otlp__AuthMode", "ApiKey"),
            Input("Dashboard__Otlp__PrimaryApiKey", OtlpApiKey),
        ],
        Volumes: [],
        DependsOn: [],
        new TcpHealthProbe(UiPortName));

    /// <summary>What a .NET service needs to send its telemetry to the dashboard (the key goes to its Secret).</summary>
    public static IEnumerable<EnvironmentVariable> ExporterSettings(Workload service) =>
    [
        // The dashboard's service by name: the chart scopes it to the release.
        new("OTEL_EXPORTER_OTLP_ENDPOINT", new ValueTemplate([new LiteralPart("http://"), new ServicePart(Name), new LiteralPart($":{OtlpGrpcPort}")])),
        Literal("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"),
        Literal("OTEL_SERVICE_NAME", service.Name),
        new("OTEL_EXPORTER_OTLP_HEADERS", ValueTemplate.Concat([new LiteralPart(ApiKeyHeader + "="), new InputPart(OtlpApiKey)])),
    ];

    private static EnvironmentVariable Literal(string name, string value) => new(name, ValueTemplate.Literal(value));

    private static EnvironmentVariable Input(string name, DeploymentInput input) => new(name, new ValueTemplate([new InputPart(input)]));

    [GeneratedRegex("""Include="Aspire\.Hosting\.AppHost"\s+Version="(?<major>\d+)\.(?<minor>\d+)\.""")]
    private static partial Regex AspireVersion();
}
