using Npgsql;

namespace Phase4.Tests.Faults;

/// <summary>What the database really holds, read directly, to check acknowledged writes against it.</summary>
internal static class StoredTasks
{
    public static async Task<HashSet<string>> TitlesAsync(string connectionString, Guid userId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT title FROM tasks WHERE user_id = @user", connection);
        command.Parameters.AddWithValue("user", userId);
        var titles = new HashSet<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            titles.Add(reader.GetString(0));
        }

        return titles;
    }
}
