using Npgsql;
using Phase4.Domain.Data;

namespace Phase4.Tests.Api;

/// <summary>The backend's connection string defaults fill in what the configured string leaves unset, and nothing else.</summary>
public sealed class ConnectionDefaultsTests
{
    [Fact]
    public void An_unset_connect_timeout_command_timeout_and_statement_preparation_get_the_APIs_defaults()
    {
        var result = new NpgsqlConnectionStringBuilder(DatabaseSetup.WithConnectionDefaults("Host=db;Database=tasksdb;Username=app"));

        Assert.Equal(3, result.Timeout);
        Assert.Equal(10, result.CommandTimeout);
        Assert.Equal(20, result.MaxAutoPrepare);
        Assert.Equal(GssEncryptionMode.Disable, result.GssEncryptionMode);
        Assert.True(result.NoResetOnClose);
        Assert.Equal("db", result.Host);
    }

    [Fact]
    public void A_connection_string_that_asks_for_the_reset_on_close_keeps_it() =>
        Assert.False(new NpgsqlConnectionStringBuilder(DatabaseSetup.WithConnectionDefaults("Host=db;No Reset On Close=false")).NoResetOnClose);

    [Fact]
    public void A_connection_string_that_asks_for_GSS_encryption_keeps_it() =>
        Assert.Equal(GssEncryptionMode.Require, new NpgsqlConnectionStringBuilder(DatabaseSetup.WithConnectionDefaults("Host=db;GSS Encryption Mode=Require")).GssEncryptionMode);

    [Theory]
    [InlineData("Host=db;Timeout=7;Command Timeout=60;Max Auto Prepare=0", 7, 60, 0)]
    [InlineData("Host=db;timeout=7;CommandTimeout=60;maxautoprepare=50", 7, 60, 50)]
    public void Values_the_connection_string_gives_are_kept_including_no_statement_preparation(
        string connectionString, int timeout, int commandTimeout, int maxAutoPrepare)
    {
        var result = new NpgsqlConnectionStringBuilder(DatabaseSetup.WithConnectionDefaults(connectionString));

        Assert.Equal(timeout, result.Timeout);
        Assert.Equal(commandTimeout, result.CommandTimeout);
        Assert.Equal(maxAutoPrepare, result.MaxAutoPrepare);
    }

    [Fact]
    public void The_deployments_pool_size_limits_the_pool_unless_the_connection_string_names_one()
    {
        Assert.Equal(7, new NpgsqlConnectionStringBuilder(DatabaseSetup.WithConnectionDefaults("Host=db", maxPoolSize: 7)).MaxPoolSize);
        Assert.Equal(40, new NpgsqlConnectionStringBuilder(DatabaseSetup.WithConnectionDefaults("Host=db;Maximum Pool Size=40", maxPoolSize: 7)).MaxPoolSize);
        Assert.Equal(40, new NpgsqlConnectionStringBuilder(DatabaseSetup.WithConnectionDefaults("Host=db;maxpoolsize=40", maxPoolSize: 7)).MaxPoolSize);
        // Unset, Npgsql's own default stays.
        Assert.Equal(new NpgsqlConnectionStringBuilder().MaxPoolSize, new NpgsqlConnectionStringBuilder(DatabaseSetup.WithConnectionDefaults("Host=db")).MaxPoolSize);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("12", 12)]
    public void The_pool_size_setting_is_unset_or_a_whole_number(string? configured, int? expected) =>
        Assert.Equal(expected, DatabaseSetup.MaxPoolSize(configured));

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("7.5")]
    [InlineData("many")]
    [InlineData("1001")]
    public void A_pool_size_setting_that_is_not_a_whole_number_from_1_to_1000_is_refused_naming_it(string configured)
    {
        var failure = Assert.Throws<InvalidOperationException>(() => DatabaseSetup.MaxPoolSize(configured));
        Assert.Contains(DatabaseSetup.MaxPoolSizeKey, failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void A_missing_connection_string_stays_missing(string? connectionString) =>
        Assert.Equal(connectionString, DatabaseSetup.WithConnectionDefaults(connectionString));
}
