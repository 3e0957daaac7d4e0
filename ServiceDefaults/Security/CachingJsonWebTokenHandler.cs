using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Phase4.ServiceDefaults.Security;

/// <summary>
/// A <see cref="JsonWebTokenHandler"/> that remembers the tokens it has fully validated until each one expires, so a
/// client repeating its bearer token does not pay for parsing and an ECDSA/RSA signature check on every request (the
/// largest single per-request cost of a task list). Only exact token strings that passed every check are remembered,
/// and a remembered token stops being accepted when full validation would start refusing it (<c>exp</c> plus the
/// clock skew). Revocation is not this handler's concern: <see cref="ITokenRevocationCheck"/> runs on every request after
/// it, so remembering a signature check changes no answer.
/// </summary>
public sealed class CachingJsonWebTokenHandler : JsonWebTokenHandler
{
    /// <summary>Distinct tokens remembered at most; past it, new tokens are validated in full every time.</summary>
    public const int DefaultCapacity = 4096;

    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, ValidatedToken> _validated = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly int _capacity;
    private long _nextSweepTicks;

    public CachingJsonWebTokenHandler(TimeProvider time, int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _time = time;
        _capacity = capacity;
        MapInboundClaims = false;
    }

    /// <summary>How many tokens are remembered now.</summary>
    public int Count => _validated.Count;

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        if (token is not null && _validated.TryGetValue(token, out var known))
        {
            if (known.AcceptedUntil > _time.GetUtcNow())
            {
                // A fresh identity per request: authentication events and claims transformations may add to it.
                return new TokenValidationResult
                {
                    IsValid = true,
                    SecurityToken = known.Token,
                    ClaimsIdentity = known.Identity.Clone(),
                    Issuer = known.Issuer,
                    TokenType = known.TokenType,
                };
            }

            _validated.TryRemove(token, out _);
        }

        var result = await base.ValidateTokenAsync(token, validationParameters).ConfigureAwait(false);
        if (result.IsValid && token is not null && result.SecurityToken is JsonWebToken jwt)
        {
            Remember(token, jwt, result, validationParameters.ClockSkew);
        }

        return result;
    }

    private void Remember(string token, JsonWebToken jwt, TokenValidationResult result, TimeSpan clockSkew)
    {
        var now = _time.GetUtcNow();
        var acceptedUntil = new DateTimeOffset(DateTime.SpecifyKind(jwt.ValidTo, DateTimeKind.Utc)) + clockSkew;
        if (acceptedUntil <= now)
        {
            return;
        }

        if (_validated.Count >= _capacity)
        {
            SweepExpired(now);
            if (_validated.Count >= _capacity)
            {
                return;
            }
        }

        _validated[token] = new ValidatedToken(jwt, result.ClaimsIdentity.Clone(), result.Issuer, result.TokenType, acceptedUntil);
    }

    /// <summary>Drops expired tokens, at most once per <see cref="SweepInterval"/> so a full cache costs little.</summary>
    private void SweepExpired(DateTimeOffset now)
    {
        var next = Interlocked.Read(ref _nextSweepTicks);
        if (now.UtcTicks < next || Interlocked.CompareExchange(ref _nextSweepTicks, (now + SweepInterval).UtcTicks, next) != next)
        {
            return;
        }

        foreach (var (token, known) in _validated)
        {
            if (known.AcceptedUntil <= now)
            {
                _validated.TryRemove(token, out _);
            }
        }
    }

    private sealed record ValidatedToken(
        JsonWebToken Token, ClaimsIdentity Identity, string Issuer, string TokenType, DateTimeOffset AcceptedUntil);
}
