using Phase4.Publisher.Model;
using Phase4.Publisher.Secrets;

namespace Phase4.Publisher.Verbs;

/// <summary><c>secrets</c>: the Compose route's <c>.env</c>, missing values added, none replaced.</summary>
internal static partial class Generation
{
    /// <summary>
    /// Adds values for the inputs <c>.env</c> lacks; existing values are never replaced. Refuses (and writes nothing)
    /// when a value it would create belongs to a workload whose Compose volume already exists: that database was
    /// initialised with the lost value.
    /// </summary>
    public static IReadOnlyCollection<string> CreateSecrets(DeploymentModel model, string outputFolder, IReadOnlySet<string> existingVolumes)
    {
        Directory.CreateDirectory(outputFolder);
        var path = Path.Combine(outputFolder, DotEnvFile.FileName);
        var created = InputValues.CreateMissing(model.Inputs, DotEnvFile.Read(path), Environment.GetEnvironmentVariable);
        var atRisk = ComposeVolumes.AtRisk(model, outputFolder, created.Keys.ToList(), existingVolumes);
        if (atRisk.Count > 0)
        {
            throw new InvalidOperationException(
                $"The volume {string.Join(", ", atRisk)} already holds data created with secrets {path} no longer has. " +
                "Restore that .env file, or delete the data (docker-compose down --volumes) to start empty; nothing was written.");
        }

        if (created.Count > 0)
        {
            DotEnvFile.Append(path, created);
        }

        return created.Keys.ToList();
    }
}
