using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Phase4.Backend.Auth;
using Phase4.Domain.Data;

namespace Phase4.Backend.Http;

/// <summary>
/// The API's own HTTP path before ready, as IIS's Application Initialization module does: once Kestrel listens, a few
/// requests to this process over loopback as a warm-up token's subject, a new id no account has, so they read nothing
/// of anybody and store nothing: the task list, the conversation list, and a task and a chat message that fail
/// validation (400). Authentication, rate limiting, routing, the endpoint filters, model binding and the JSON and
/// ProblemDetails writers then run before the first user's request rather than during it (<see cref="IWarmUp"/>).
/// </summary>
internal sealed class HttpWarmUp(IServer server, IHostApplicationLifetime lifetime, TokenIssuer tokens) : IWarmUp
{
    public async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await ListeningAsync(cancellationToken);
        var address = LoopbackAddress();
        var warmUpId = Guid.NewGuid();
        using var http = new HttpClient { BaseAddress = new Uri(address, $"/api/{warmUpId:D}/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.IssueWarmUpApiToken(warmUpId).AccessToken);
        await ExpectAsync(http.GetAsync("tasks?status=all&limit=50", cancellationToken), HttpStatusCode.OK);
        await ExpectAsync(http.GetAsync("conversations", cancellationToken), HttpStatusCode.OK);
        await ExpectAsync(http.PostAsync("tasks", Json("""{"title":""}"""), cancellationToken), HttpStatusCode.BadRequest);
        await ExpectAsync(http.PostAsync("chat", Json("""{"message":""}"""), cancellationToken), HttpStatusCode.BadRequest);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>Another answer means the warm-up ran some other path (a refusal, say): reported as not finished.</summary>
    private static async Task ExpectAsync(Task<HttpResponseMessage> request, HttpStatusCode expected)
    {
        using var response = await request;
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException(
                $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath} answered {(int)response.StatusCode}, not {(int)expected}.");
        }
    }

    private async Task ListeningAsync(CancellationToken cancellationToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// One of Kestrel's plain-HTTP addresses, a wildcard host (<c>+</c>, <c>*</c>, <c>0.0.0.0</c>, <c>[::]</c>: a container's
    /// <c>HTTP_PORTS</c> binds <c>[::]</c>) made <c>localhost</c>, which reaches it over IPv6 or IPv4, whichever the pod has.
    /// </summary>
    private Uri LoopbackAddress()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var bound = addresses.Select(BindingAddress.Parse).FirstOrDefault(a => a.Scheme == Uri.UriSchemeHttp && !a.IsUnixPipe)
            ?? throw new InvalidOperationException("Kestrel listens on no plain-HTTP address to warm up on.");
        var host = bound.Host is "+" or "*" or "0.0.0.0" or "[::]" ? "localhost" : bound.Host;
        return new Uri($"http://{host}:{bound.Port}");
    }
}
