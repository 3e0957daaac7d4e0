namespace Phase4.AppHost.Postgres;

/// <summary>Where the tasks database comes from.</summary>
internal enum PostgresMode
{
    /// <summary><c>AddPostgres</c>: a container with a data volume (needs a working container runtime).</summary>
    Container,

    /// <summary>The locally installed PostgreSQL server run as executable resources.</summary>
    Local,

    /// <summary>An existing server given by <c>ConnectionStrings:tasksdb</c>.</summary>
    External,
}

internal static class PostgresModeSelection
{
    public const string ConfigurationKey = "Postgres:Mode";

    /// <summary>
    /// Publish mode always models the container. In run mode an explicit <c>Postgres:Mode</c> wins; otherwise the
    /// container is chosen only when a Docker engine answers, because a runtime that is installed but cannot run or
    /// pull images (a Docker client without a daemon, podman without a registry) leaves every dependant waiting.
    /// </summary>
    public static PostgresMode Choose(string? configuredMode, bool isPublishMode, Func<bool> dockerEngineAnswers)
    {
        if (isPublishMode)
        {
            return PostgresMode.Container;
        }

        if (string.IsNullOrWhiteSpace(configuredMode))
        {
            return dockerEngineAnswers() ? PostgresMode.Container : PostgresMode.Local;
        }

        // Names only: Enum.TryParse would also accept numbers such as "1".
        var name = Enum.GetNames<PostgresMode>().FirstOrDefault(name => name.Equals(configuredMode.Trim(), StringComparison.OrdinalIgnoreCase));
        return name is not null
            ? Enum.Parse<PostgresMode>(name)
            : throw new InvalidOperationException(
                $"{ConfigurationKey} is '{configuredMode}'; use container, local or external (or leave it unset to choose automatically).");
    }
}
