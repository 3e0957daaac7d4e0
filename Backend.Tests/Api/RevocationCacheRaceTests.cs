using Microsoft.Extensions.Options;
using Npgsql;
using Phase4.Domain.Accounts;
using Phase4.ServiceDefaults.Security;
using Phase4.Tests.Api.Support;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Api;

/// <summary>
/// The race a sign-out can lose on the replica that handles it: a request with the same token read "not signed out"
/// from PostgreSQL just before the sign-out was stored, and its answer reaches the revocation cache just after the
/// sign-out's own entry. The interleaving is forced: the read is real (the domain's query on a real database), and the
/// test holds its answer back until the sign-out is stored and cached.
/// </summary>
public sealed class RevocationCacheRaceTests : IAsyncLifetime
{
    private readonly PostgresServer _postgres = new();
    private string _connectionString = string.Empty;

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        _connectionString = (await _postgres.CreateMigratedDatabaseAsync("revocation_race")).Owner;
    }

    public Task DisposeAsync() => _postgres.DisposeAsync();

    [Fact]
    public async Task A_not_signed_out_read_that_began_before_a_sign_out_does_not_overwrite_it_in_the_cache()
    {
        using var cache = new RevocationCache(Options.Create(new JwtOptions()));
        var userId = await CreateAccountAsync();
        const string jti = "raced-token";
        var key = "signed-out:" + jti;

        var readDone = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racingRequest = cache.GetAsync(key, async () =>
        {
            await using var db = TodoContexts.Create(_connectionString);
            var signedOut = await new AccountTokens(db, TimeProvider.System).IsRevokedAsync(jti, CancellationToken.None);
            readDone.SetResult(signedOut);
            await releaseRead.Task;
            return signedOut;
        }).AsTask();
        Assert.False(await readDone.Task); // read before the sign-out: not signed out

        // The sign-out, as POST /api/auth/logout does it: stored, then cached on this replica.
        await using (var db = TodoContexts.Create(_connectionString))
        {
            await new AccountTokens(db, TimeProvider.System).RevokeTokenAsync(jti, userId, DateTimeOffset.UtcNow.AddHours(1), CancellationToken.None);
        }

        cache.Set(key, true);
        releaseRead.SetResult();
        await racingRequest;

        var loadedAgain = false;
        var afterwards = await cache.GetAsync(key, () =>
        {
            loadedAgain = true;
            return Task.FromResult(false);
        });
        Assert.True(afterwards, "the late 'not signed out' answer replaced the sign-out in the cache");
        Assert.False(loadedAgain);
    }

    private async Task<Guid> CreateAccountAsync()
    {
        var id = Guid.NewGuid();
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var insert = new NpgsqlCommand(
            "INSERT INTO users (id, email, normalized_email, password_hash, created_at, failed_sign_in_count) VALUES (@id, @email, upper(@email), 'x', now(), 0)", connection);
        insert.Parameters.AddWithValue("id", id);
        insert.Parameters.AddWithValue("email", $"{id:N}@example.com");
        await insert.ExecuteNonQueryAsync();
        return id;
    }
}
