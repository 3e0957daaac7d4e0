using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Phase4.AppHost.DemoData;

/// <summary>
/// Dashboard commands on the backend for a quick demo (run mode only): <c>seed-demo-tasks</c> signs up
/// <see cref="Email"/> if needed and adds whichever of <see cref="DemoTasks.All"/> it lacks; <c>reset-demo-tasks</c>
/// deletes every task of that account and seeds again. Both go through the backend's public API and answer with the
/// sign-in (the address to open, the email and the password). The password is the generated secret parameter
/// <see cref="PasswordParameter"/>, kept in the AppHost's user secrets so the account survives restarts.
/// </summary>
internal static class DemoDataCommands
{
    public const string SeedCommand = "seed-demo-tasks";
    public const string ResetCommand = "reset-demo-tasks";
    public const string PasswordParameter = "demo-password";
    public const string Email = "demo@example.com";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    public static IResourceBuilder<ProjectResource> WithDemoDataCommands(
        this IResourceBuilder<ProjectResource> backend, IResourceBuilder<ExecutableResource>? frontend)
    {
        var builder = backend.ApplicationBuilder;
        if (!builder.ExecutionContext.IsRunMode)
        {
            return backend;
        }

        var password = builder.AddParameter(PasswordParameter, new GenerateParameterDefault { MinLength = 20, Special = false }, secret: true, persist: true);
        var api = backend.GetEndpoint("http");
        var app = frontend?.GetEndpoint("http") ?? api;

        async Task<ExecuteCommandResult> RunAsync(ExecuteCommandContext context, bool reset)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
            timeout.CancelAfter(CommandTimeout);
            using var http = context.Services.GetRequiredService<IHttpClientFactory>().CreateClient();
            http.BaseAddress = new Uri(api.Url);
            try
            {
                var secret = await password.Resource.GetValueAsync(timeout.Token)
                    ?? throw new DemoDataException($"The {PasswordParameter} parameter has no value.");
                var account = await DemoAccountClient.SignInAsync(http, Email, secret, timeout.Token);
                var created = await SeedAsync(account, reset, timeout.Token);
                return CommandResults.Success(
                    $"{created} demo task(s) created for {Email}.", SignIn(app.Url, secret, created, reset), CommandResultFormat.Markdown, displayImmediately: true);
            }
            catch (Exception e) when (e is DemoDataException or HttpRequestException || (e is OperationCanceledException && timeout.IsCancellationRequested))
            {
                // A failed command is reported in the dashboard (and logged there at Information), not thrown.
                return CommandResults.Failure(e is OperationCanceledException ? $"The backend did not finish within {CommandTimeout.TotalSeconds} s." : e.Message);
            }
        }

        return backend
            .WithCommand(SeedCommand, "Seed demo tasks", context => RunAsync(context, reset: false), new CommandOptions
            {
                Description = $"Signs up {Email} if needed and adds the demo tasks it lacks, through the backend's API; shows how to sign in.",
                IconName = "DocumentAdd",
                UpdateState = EnabledWhenHealthy,
            })
            .WithCommand(ResetCommand, "Reset demo tasks", context => RunAsync(context, reset: true), new CommandOptions
            {
                Description = $"Deletes every task of {Email} and seeds the demo tasks again.",
                ConfirmationMessage = $"Delete every task of {Email} and seed the demo tasks again?",
                IconName = "ArrowReset",
                UpdateState = EnabledWhenHealthy,
            });
    }

    /// <summary>Adds the demo tasks the account lacks (by title), after deleting all of its tasks when resetting.</summary>
    private static async Task<int> SeedAsync(DemoAccountClient account, bool reset, CancellationToken cancellationToken)
    {
        var existing = await account.ListTasksAsync(cancellationToken);
        if (reset)
        {
            foreach (var task in existing)
            {
                await account.DeleteAsync(task, cancellationToken);
            }

            existing = [];
        }

        var titles = existing.Select(task => task.Title).ToHashSet(StringComparer.Ordinal);
        var missing = DemoTasks.All.Where(task => !titles.Contains(task.Title)).ToList();
        foreach (var task in missing)
        {
            await account.CreateAsync(task, cancellationToken);
        }

        return missing.Count;
    }

    private static ResourceCommandState EnabledWhenHealthy(UpdateCommandStateContext context) =>
        context.ResourceSnapshot.HealthStatus == HealthStatus.Healthy ? ResourceCommandState.Enabled : ResourceCommandState.Disabled;

    private static string SignIn(string appUrl, string password, int created, bool reset) => new StringBuilder()
        .Append(CultureInfo.InvariantCulture, $"{(reset ? "Reset: " : "")}{created} of {DemoTasks.All.Count} demo tasks created.\n\n")
        .Append(CultureInfo.InvariantCulture, $"Sign in at [{appUrl}]({appUrl}) with\n\n")
        .Append(CultureInfo.InvariantCulture, $"- email: `{Email}`\n")
        .Append(CultureInfo.InvariantCulture, $"- password: `{password}`\n")
        .ToString();
}
