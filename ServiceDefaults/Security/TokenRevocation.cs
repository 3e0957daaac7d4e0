using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Phase4.ServiceDefaults.Security;

/// <summary>
/// A service's rule for refusing a token that passed validation but was revoked since it was issued (signed out, MCP
/// access revoked). <see cref="JwtAuthenticationExtensions.AddJwtValidation"/> asks it on every request after the
/// token is validated, also when the signature check was skipped by <see cref="CachingJsonWebTokenHandler"/>.
/// </summary>
public interface ITokenRevocationCheck
{
    /// <summary>Why the token of <paramref name="principal"/> must be refused, or null to accept it.</summary>
    ValueTask<string?> RefusalAsync(ClaimsPrincipal principal, HttpContext http);
}

/// <summary>
/// What a service last read about revocations, for at most <see cref="JwtOptions.RevocationCheckInterval"/> (30 s by
/// default), so a revocation costs one database read per token or account per interval rather than one per request.
/// A revocation made on another replica therefore takes effect here within that interval.
/// </summary>
public sealed class RevocationCache : IDisposable
{
    /// <summary>Entries kept at most; past it new lookups are not cached (each one reads the database).</summary>
    public const int Capacity = 100_000;

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = Capacity });
    private readonly TimeSpan _interval;
    private readonly Lock _gate = new();

    /// <summary>Counts <see cref="Set"/> calls: a load that saw another count began before a change it may not know.</summary>
    private long _changes;

    public RevocationCache(IOptions<JwtOptions> options) => _interval = options.Value.RevocationCheckInterval;

    /// <summary>
    /// The cached value of <paramref name="key"/>, or what <paramref name="load"/> reads now. A load that was under way
    /// while this replica recorded a change (a sign-out it handled) may have read the database before that change: its
    /// answer is used for its own request only, never cached over the change.
    /// </summary>
    public async ValueTask<T> GetAsync<T>(string key, Func<Task<T>> load)
    {
        if (_cache.TryGetValue(key, out T? known))
        {
            return known!;
        }

        var changesBefore = Volatile.Read(ref _changes);
        var value = await load().ConfigureAwait(false);
        lock (_gate)
        {
            if (_changes != changesBefore)
            {
                return _cache.TryGetValue(key, out T? changed) ? changed! : value;
            }

            Store(key, value);
        }

        return value;
    }

    /// <summary>Records what this replica itself just changed, so it takes effect here at once.</summary>
    public void Set<T>(string key, T value)
    {
        lock (_gate)
        {
            _changes++;
            Store(key, value);
        }
    }

    private void Store<T>(string key, T value)
    {
        if (_interval > TimeSpan.Zero)
        {
            _cache.Set(key, value, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = _interval, Size = 1 });
        }
    }

    public void Dispose() => _cache.Dispose();
}
