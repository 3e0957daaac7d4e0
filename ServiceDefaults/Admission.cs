using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// How many requests one process works on at once, across every account (section <c>Admission</c>). A process can only
/// serve as fast as its database connections allow (<c>Database:MaxPoolSize</c>, which a deployment sizes from its
/// connection budget); requests admitted beyond a few per connection would only queue for one, so under a load past
/// saturation everyone's latency grows until time-outs answer. Past <see cref="Concurrency"/> in progress and
/// <see cref="Queue"/> waiting, a request is answered at once with 503 and <c>Retry-After</c>, before authentication
/// or any database work, and the requests admitted keep a bounded latency (bench/saturation.sh).
/// </summary>
public sealed class AdmissionOptions
{
    public const string SectionName = "Admission";

    /// <summary>Requests in progress at once, per process; default four per pooled database connection.</summary>
    public int? Concurrency { get; set; }

    /// <summary>Requests that may wait for one of those; default as many again.</summary>
    public int? Queue { get; set; }

    /// <summary>What <c>Retry-After</c> tells a refused client.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Requests in progress per pooled connection by default.</summary>
    public const int PerConnection = 4;

    /// <summary>Npgsql's pool when <c>Database:MaxPoolSize</c> is not set.</summary>
    public const int DefaultPoolSize = 100;
}

/// <summary>Excludes an endpoint from <see cref="AdmissionOptions"/>' limit (one that holds no connection while it waits, such as a chat turn on the model).</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class NoAdmissionLimitAttribute : Attribute;

public static class AdmissionExtensions
{
    /// <summary>The limit, sized from <c>Database:MaxPoolSize</c> unless <c>Admission:*</c> says otherwise; validated at start-up.</summary>
    public static TBuilder AddAdmission<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        var pool = int.TryParse(builder.Configuration["Database:MaxPoolSize"], NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            ? size
            : AdmissionOptions.DefaultPoolSize;
        builder.Services.AddOptions<AdmissionOptions>()
            .Bind(builder.Configuration.GetSection(AdmissionOptions.SectionName))
            .PostConfigure(options =>
            {
                options.Concurrency ??= AdmissionOptions.PerConnection * pool;
                options.Queue ??= options.Concurrency;
            })
            .Validate(options => options.Concurrency >= 1 && options.Queue >= 0 && options.RetryAfter >= TimeSpan.FromSeconds(1),
                "Admission:Concurrency must be at least 1, Admission:Queue at least 0 and Admission:RetryAfter at least 1 s.")
            .ValidateOnStart();
        builder.Services.AddSingleton(services =>
        {
            var options = services.GetRequiredService<IOptions<AdmissionOptions>>().Value;
            return new ConcurrencyLimiter(new ConcurrencyLimiterOptions
            {
                PermitLimit = options.Concurrency!.Value,
                QueueLimit = options.Queue!.Value,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
        });
        return builder;
    }

    /// <summary>
    /// Limits requests under <paramref name="pathPrefix"/> (the API: probes and static files are never refused, or
    /// readiness would flap under load). Call it after routing, before authentication.
    /// </summary>
    public static WebApplication UseAdmission(this WebApplication app, PathString pathPrefix)
    {
        var limiter = app.Services.GetRequiredService<ConcurrencyLimiter>();
        var options = app.Services.GetRequiredService<IOptions<AdmissionOptions>>().Value;
        var retryAfter = ((int)Math.Ceiling(options.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var log = new AdmissionLog(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<AdmissionOptions>(), TimeProvider.System);
        app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments(pathPrefix, StringComparison.OrdinalIgnoreCase)
                || context.GetEndpoint()?.Metadata.GetMetadata<NoAdmissionLimitAttribute>() is not null)
            {
                await next(context);
                return;
            }

            using var lease = await limiter.AcquireAsync(1, context.RequestAborted);
            if (lease.IsAcquired)
            {
                await next(context);
                return;
            }

            log.Refused();
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = retryAfter;
            await TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, detail: "The service is at capacity; retry after the Retry-After delay.")
                .ExecuteAsync(context);
        });
        return app;
    }
}

/// <summary>Refusals come by the thousand under overload: one warning per interval says how many, not one per request.</summary>
internal sealed partial class AdmissionLog(ILogger logger, TimeProvider time)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private long _refused;
    private long _lastLogged = long.MinValue;

    public void Refused()
    {
        var refused = Interlocked.Increment(ref _refused);
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _lastLogged);
        if ((last == long.MinValue || time.GetElapsedTime(last, now) >= Interval) && Interlocked.CompareExchange(ref _lastLogged, now, last) == last)
        {
            LogRefused(logger, Interlocked.Exchange(ref _refused, 0) is var count && count > 0 ? count : refused);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "At capacity: refused {Count} requests with 503 and Retry-After (Admission:Concurrency in progress and Admission:Queue waiting)")]
    private static partial void LogRefused(ILogger logger, long count);
}
