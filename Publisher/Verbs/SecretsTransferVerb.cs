using Phase4.Publisher.Deploy;
using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Secrets;

namespace Phase4.Publisher.Verbs;

/// <summary>
/// <c>secrets export</c> and <c>secrets import</c>: the generated values the cluster's Secrets hold, carried to another
/// cluster or kept beside a database dump, encrypted with age (<see cref="SecretsBackup"/>). Import only adds: a value
/// the cluster holds is never changed, as <c>apply</c> never changes one.
/// </summary>
internal sealed partial class DeployVerbs
{
    /// <summary>The cluster's values, encrypted to the recipients, written to a new file (never over an existing one).</summary>
    public Task<int> ExportSecretsAsync(KubernetesApp app, string? kubeContext, string file, IReadOnlyList<string> recipients, string? recipientsFile) =>
        WithContextAsync(kubeContext, app.Namespace, async context =>
        {
            var path = Path.GetFullPath(file);
            if (File.Exists(path))
            {
                await Console.WriteLineAsync($"{path} exists: export never overwrites a file; choose another name. Nothing was written.");
                return 1;
            }

            var listed = await tools.ReadAsync(ClusterSecrets.Query(context));
            var known = listed is null ? new() : SecretPlan.Known(app, ClusterSecrets.Parse(app, listed));
            if (listed is not null && known.Count == 0)
            {
                await Console.WriteLineAsync($"The cluster holds no generated secrets in namespace {context.Namespace}: apply first. Nothing was written.");
                return 1;
            }

            var plain = SecretsBackup.Write(app, known.ToDictionary(entry => entry.Key, entry => entry.Value.Value, StringComparer.Ordinal));
            var encrypted = await tools.ReadAsync(SecretsBackup.Encrypt(recipients, recipientsFile), new StandardInput(plain, "the values, in plain text"));
            if (encrypted is null)
            {
                return 0;
            }

            try
            {
                using var stream = new FileStream(path, SecretFiles.OwnerOnly(FileMode.CreateNew));
                using var writer = new StreamWriter(stream);
                await writer.WriteAsync(encrypted);
            }
            catch (IOException) when (File.Exists(path))
            {
                await Console.WriteLineAsync($"{path} appeared meanwhile: export never overwrites a file. Nothing was written.");
                return 1;
            }

            var names = app.Inputs.Where(input => known.ContainsKey(input.VariableName)).Select(input => input.ParameterName);
            await Console.WriteLineAsync($"wrote {path}: {string.Join(", ", names)}, encrypted with age. Keep it with the database dumps; `secrets import` reads it.");
            return 0;
        });

    /// <summary>
    /// The backup decrypted into memory; the values the cluster's Secrets lack added to them (on kubectl's standard input),
    /// refused whole when one differs from a value the cluster holds. The next <c>apply</c> rolls them into the workloads.
    /// </summary>
    public Task<int> ImportSecretsAsync(KubernetesApp app, string? kubeContext, string file, string identity) =>
        WithContextAsync(kubeContext, app.Namespace, async context =>
        {
            var path = Path.GetFullPath(file);
            if (!File.Exists(path))
            {
                await Console.WriteLineAsync($"{path} does not exist. Nothing was changed.");
                return 1;
            }

            var plain = await tools.ReadAsync(SecretsBackup.Decrypt(identity, path));
            var listed = await tools.ReadAsync(ClusterSecrets.Query(context));
            if (plain is null || listed is null)
            {
                // A dry run: what would follow.
                await tools.RunAsync(HelmRelease.Namespace(context, repository.Relative(Path.Combine(outputFolder, "namespace.yaml"))));
                tools.Print(context.Kubectl("apply", "-f", "-"), new StandardInput("", "the Secrets with the values they lack"));
                return 0;
            }

            var imported = SecretsBackup.Read(plain, path);
            var stored = ClusterSecrets.Parse(app, listed);
            var known = SecretPlan.Known(app, stored);
            var values = known.ToDictionary(entry => entry.Key, entry => entry.Value.Value, StringComparer.Ordinal);
            foreach (var input in app.Inputs.Where(input => imported.ContainsKey(input.ParameterName)))
            {
                if (known.TryGetValue(input.VariableName, out var held) && held.Value != imported[input.ParameterName])
                {
                    await Console.WriteLineAsync(
                        $"{held.Source} holds another {input.ParameterName} than {path}: import never changes a value the cluster holds " +
                        "(its database may have been created with it). Nothing was changed.");
                    return 1;
                }

                values[input.VariableName] = imported[input.ParameterName];
            }

            var plan = SecretPlan.Completing(app, stored, values, []);
            if (plan.IsEmpty)
            {
                await Console.WriteLineAsync($"The cluster's Secrets already hold every value of {path}; nothing changed.");
                return 0;
            }

            foreach (var addition in plan.Additions)
            {
                await Console.WriteLineAsync($"add to Secret {addition.Workload.SecretName}: {string.Join(", ", addition.Lines.Select(line => line.Key))}");
            }

            // The namespace first (with its Pod Security labels), for a cluster the app was never applied to.
            await tools.RunAsync(HelmRelease.Namespace(context, repository.Relative(Path.Combine(outputFolder, "namespace.yaml"))));
            await tools.RunAsync(context.Kubectl("apply", "-f", "-"),
                new StandardInput(ClusterSecrets.Manifest(app, plan.Additions.Select(addition => addition.Workload.Name), plan), "the Secrets with the values they lack"));
            await Console.WriteLineAsync("Imported. `apply` puts them in the workloads.");
            return 0;
        });
}
