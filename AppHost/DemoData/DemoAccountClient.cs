using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Phase4.AppHost.DemoData;

/// <summary>
/// The demo account driven through the backend's public REST API, like any client: no database access, so the seeded
/// data goes through the same validation, quotas and rules as a user's.
/// </summary>
internal sealed class DemoAccountClient
{
    /// <summary>The API's largest page (TaskRules.MaxPageSize).</summary>
    private const int PageSize = 200;

    private static readonly JsonSerializerOptions Wire = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly HttpClient _http;
    private readonly string _tasks;

    private DemoAccountClient(HttpClient http, string userId)
    {
        _http = http;
        _tasks = $"/api/{userId}/tasks";
    }

    /// <summary>Signs up the account unless it exists, then signs in; <paramref name="http"/> carries the token from then on.</summary>
    public static async Task<DemoAccountClient> SignInAsync(HttpClient http, string email, string password, CancellationToken cancellationToken)
    {
        var credentials = new { email, password };
        using (var registered = await http.PostAsJsonAsync("/api/auth/register", credentials, Wire, cancellationToken))
        {
            if (registered.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.Conflict))
            {
                throw await DemoDataException.FromAsync("Signing up the demo account", registered, cancellationToken);
            }
        }

        using var login = await http.PostAsJsonAsync("/api/auth/login", credentials, Wire, cancellationToken);
        if (login.StatusCode == HttpStatusCode.Unauthorized)
        {
            throw new DemoDataException(
                $"{email} exists with a password other than the AppHost's {DemoDataCommands.PasswordParameter} parameter (were its user " +
                $"secrets reset?). Set Parameters:{DemoDataCommands.PasswordParameter} to the old password, or start from an empty database.");
        }

        if (!login.IsSuccessStatusCode)
        {
            throw await DemoDataException.FromAsync("Signing in the demo account", login, cancellationToken);
        }

        var session = await login.Content.ReadFromJsonAsync<Session>(Wire, cancellationToken)
            ?? throw new DemoDataException("The backend answered the sign-in with an empty body.");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.AccessToken);
        return new DemoAccountClient(http, session.UserId);
    }

    public async Task<IReadOnlyList<StoredTask>> ListTasksAsync(CancellationToken cancellationToken)
    {
        var all = new List<StoredTask>();
        while (true)
        {
            using var response = await _http.GetAsync($"{_tasks}?limit={PageSize}&offset={all.Count}", cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw await DemoDataException.FromAsync("Listing the demo tasks", response, cancellationToken);
            }

            var page = await response.Content.ReadFromJsonAsync<List<StoredTask>>(Wire, cancellationToken) ?? [];
            all.AddRange(page);
            if (page.Count < PageSize)
            {
                return all;
            }
        }
    }

    public async Task CreateAsync(DemoTask task, CancellationToken cancellationToken)
    {
        using var created = await _http.PostAsJsonAsync(_tasks, new { title = task.Title, description = task.Description }, Wire, cancellationToken);
        if (!created.IsSuccessStatusCode)
        {
            throw await DemoDataException.FromAsync($"Creating '{task.Title}'", created, cancellationToken);
        }

        if (task.Completed)
        {
            var stored = await created.Content.ReadFromJsonAsync<StoredTask>(Wire, cancellationToken)
                ?? throw new DemoDataException("The backend answered a created task with an empty body.");
            using var completed = await _http.PatchAsJsonAsync($"{_tasks}/{stored.Id}/complete", new { completed = true }, Wire, cancellationToken);
            if (!completed.IsSuccessStatusCode)
            {
                throw await DemoDataException.FromAsync($"Completing '{task.Title}'", completed, cancellationToken);
            }
        }
    }

    public async Task DeleteAsync(StoredTask task, CancellationToken cancellationToken)
    {
        using var deleted = await _http.DeleteAsync($"{_tasks}/{task.Id}", cancellationToken);
        if (!deleted.IsSuccessStatusCode && deleted.StatusCode != HttpStatusCode.NotFound)
        {
            throw await DemoDataException.FromAsync($"Deleting '{task.Title}'", deleted, cancellationToken);
        }
    }

    private sealed record Session(string AccessToken, string UserId);
}

/// <summary>A task as the API lists it (the fields the commands use).</summary>
internal sealed record StoredTask(int Id, string Title, bool Completed);

/// <summary>The backend refused a step; the message says which step and the API's own explanation (its ProblemDetails <c>detail</c>).</summary>
internal sealed class DemoDataException(string message) : Exception(message)
{
    public static async Task<DemoDataException> FromAsync(string step, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string? detail = null;
        try
        {
            detail = (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).TryGetProperty("detail", out var value) ? value.GetString() : null;
        }
        catch (JsonException)
        {
            // Not a ProblemDetails body: the status says enough.
        }

        return new DemoDataException($"{step} failed: {(int)response.StatusCode} {response.ReasonPhrase}{(detail is null ? "" : $" ({detail})")}");
    }
}
