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

    public RevocationCache(IOptions<JwtOptions> options) => _interval = options.Value.RevocationCheckInterval;

    /// <summary>The cached value of <paramref name="key"/>, or what <paramref name="load"/> reads now.</summary>
    public async ValueTask<T> GetAsync<T>(string key, Func<Task<T>> load)
    {
        if (_cache.TryGetValue(key, out T? known))
        {
            return known!;
        }

        var value = await load().ConfigureAwait(false);
        Set(key, value);
        return value;
    }

    /// <summary>Records what this replica itself just changed, so it takes effect here at once.</summary>
    public void Set<T>(string key, T value)
    {
        if (_interval > TimeSpan.Zero)
        {
            _cache.Set(key, value, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = _interval, Size = 1 });
        }
    }

    public void Dispose() => _cache.Dispose();
}
