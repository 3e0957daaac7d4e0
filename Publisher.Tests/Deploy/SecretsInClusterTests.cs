using System.Text;
using Phase4.Publisher;
using Phase4.Publisher.Deploy;
using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Model;
using Phase4.Publisher.Secrets;
using Phase4.Publisher.Verbs;

namespace Phase4.Tests.Deploy;

/// <summary>
/// Issue 28, "Secrets without plain-text files": the generated values live only in the cluster's Secrets. <c>apply</c>
/// reads them back and adds the missing ones, and they reach kubectl only on standard input (<c>-f -</c>: "cat pod.json
/// | kubectl apply -f -", kubectl apply --help; <c>kubectl create -f -</c> likewise); nothing under the output folder
/// holds one afterwards, whether apply succeeded or failed.
/// </summary>
[Collection(RenderedKubernetesGroup.Name)]
public sealed class SecretsInClusterTests(RenderedKubernetesFixture rendered)
{
    private static RepositoryLayout Repository => PublishedAppHostModel.Repository;

    private KubernetesApp App => rendered.App;

    [Fact]
    public async Task After_a_full_apply_no_file_under_the_output_folder_holds_a_generated_value_and_kubectl_read_them_only_on_standard_input()
    {
        using var tools = new StandInTools(StandInTools.MinikubeContext);
        var output = DeployCommandTests.CopyOfOutput();
        try
        {
            var (exit, printed) = await ApplyAsync(tools, output);

            Assert.Equal(0, exit);
            var secrets = AppliedSecrets(tools, "dev");
            var values = GeneratedValues(secrets);
            Assert.Contains(values, value => value.StartsWith("-----BEGIN", StringComparison.Ordinal));
            Assert.True(values.Count >= 4, "the database password, the role passwords and the signing key");
            AssertNowhere(values, secrets, output, tools, printed);

            // Every command that read them read them on standard input (-f -).
            var readers = tools.Inputs.Where(entry => values.Any(value => entry.Input.Contains(value, StringComparison.Ordinal) || entry.Input.Contains(Base64(value), StringComparison.Ordinal)));
            Assert.All(readers, entry => Assert.Contains(" -f -", entry.Command, StringComparison.Ordinal));
            Assert.Contains(readers, entry => entry.Command == "kubectl --context dev apply -f -");
            Assert.Contains(readers, entry => entry.Command.Contains("--dry-run=server", StringComparison.Ordinal));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The second apply reads the Secrets back from the cluster: nothing is created, the same Secrets are applied, and the
    /// existing database volume is no obstacle.
    /// </summary>
    [Fact]
    public async Task A_second_apply_reads_the_values_back_from_the_cluster_and_changes_none()
    {
        using var tools = new StandInTools(StandInTools.MinikubeContext);
        var output = DeployCommandTests.CopyOfOutput();
        try
        {
            Assert.Equal(0, (await ApplyAsync(tools, output)).Exit);
            var first = AppliedSecrets(tools, "dev");
            tools.KeepAppliedSecrets();
            tools.ExistingClaim = "persistentvolumeclaim/postgres-data-postgres-0";

            var (exit, printed) = await ApplyAsync(tools, output);

            Assert.Equal(0, exit);
            Assert.DoesNotContain("Secret ", string.Join('\n', printed.Split('\n').Where(line => line.StartsWith("create ", StringComparison.Ordinal) || line.StartsWith("add to ", StringComparison.Ordinal))), StringComparison.Ordinal);
            Assert.Equal(first, AppliedSecrets(tools, "dev"));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The env files Kustomize's secretGenerator reads exist only while it runs: a render that fails (here a resource the
    /// overlay names is missing) still removes them.
    /// </summary>
    [Fact]
    public async Task A_failing_render_leaves_no_secret_file_behind()
    {
        using var tools = new StandInTools(StandInTools.MinikubeContext);
        var output = DeployCommandTests.CopyOfOutput();
        try
        {
            File.Delete(Path.Combine(output.FullName, "overlays", "minikube", "namespace.yaml"));

            var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ApplyAsync(tools, output));

            Assert.Contains("kustomize", failure.Message, StringComparison.Ordinal);
            Assert.Equal(SecretFiles.Paths(App).Count(), tools.TransientFiles.Count);
            Assert.Empty(Directory.EnumerateFiles(output.FullName, "*.secrets", SearchOption.AllDirectories));
            Assert.Empty(Directory.EnumerateFiles(output.FullName, "*.tmp", SearchOption.AllDirectories));
            Assert.DoesNotContain(tools.Commands, command => command.Contains(" apply ", StringComparison.Ordinal) || command.Contains(" create ", StringComparison.Ordinal));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_transient_file_is_owner_only_while_it_lives_and_puts_back_a_file_that_was_there()
    {
        var folder = Directory.CreateTempSubdirectory("phase4-transient-");
        try
        {
            var earlier = Path.Combine(folder.FullName, "backend", ".backend.secrets");
            Directory.CreateDirectory(Path.GetDirectoryName(earlier)!);
            File.WriteAllText(earlier, "A=1\n");
            var fresh = Path.Combine(folder.FullName, "postgres", ".postgres.secrets");

            using (TransientSecretFiles.Write(folder.FullName, new Dictionary<string, IReadOnlyList<KeyValuePair<string, string>>>
            {
                ["backend"] = [KeyValuePair.Create("A", "1"), KeyValuePair.Create("B", "line one\nline two")],
                ["postgres"] = [KeyValuePair.Create("POSTGRES_PASSWORD", "p")],
            }))
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(fresh));
                Assert.Equal("A=1\nB=line one\\nline two\n", File.ReadAllText(earlier));
            }

            Assert.False(File.Exists(fresh));
            Assert.Equal("A=1\n", File.ReadAllText(earlier));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The plain-text files an earlier publisher kept are read once (their values go to the cluster, the database password
    /// unchanged) and removed after the apply succeeded, as are the rendered manifests it left under <c>.deploy/</c>; a
    /// failed apply keeps them.
    /// </summary>
    [Fact]
    public async Task An_earlier_publishers_plain_text_files_are_carried_into_the_cluster_and_removed_only_after_success()
    {
        using var tools = new StandInTools(StandInTools.MinikubeContext);
        var output = DeployCommandTests.CopyOfOutput();
        try
        {
            var values = InputValues.CreateMissing(App.Inputs, new Dictionary<string, string>(), _ => null);
            SecretFiles.Write(App, output.FullName, values);
            var legacy = SecretFiles.Paths(App).ToDictionary(path => path, path => File.ReadAllText(Path.Combine(output.FullName, path)));
            var rendered = Path.Combine(output.FullName, DeployCommands.ApplyFolder, "rollback", "manifests.yaml");
            Directory.CreateDirectory(Path.GetDirectoryName(rendered)!);
            File.WriteAllText(rendered, "kind: Secret\n");
            tools.ExistingClaim = "persistentvolumeclaim/postgres-data-postgres-0";
            tools.PreflightAnswer = (1, "Error from server (Forbidden): quota exceeded");

            Assert.Equal(1, (await ApplyAsync(tools, output)).Exit);
            Assert.All(legacy, file => Assert.Equal(file.Value, File.ReadAllText(Path.Combine(output.FullName, file.Key))));

            tools.PreflightAnswer = (0, "");
            var (exit, printed) = await ApplyAsync(tools, output);

            Assert.Equal(0, exit);
            var postgres = AppliedSecrets(tools, "dev").Single(secret => secret.Key.StartsWith("postgres-secrets-", StringComparison.Ordinal)).Value;
            Assert.Equal(values["POSTGRES_PASSWORD"], postgres["POSTGRES_PASSWORD"]);
            Assert.All(legacy.Keys, path => Assert.False(File.Exists(Path.Combine(output.FullName, path)), path));
            Assert.Contains($"removed {Repository.Relative(Path.Combine(output.FullName, "postgres", ".postgres.secrets"))}", printed, StringComparison.Ordinal);
            Assert.False(File.Exists(rendered));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    /// <summary>
    /// <c>secrets export</c> and <c>secrets import</c> with the real age (age --help; the format: age-encryption.org/v1,
    /// c2sp.org/age; ASCII armor, "AGE ENCRYPTED FILE"): the values of one cluster carried to a new one, where apply then
    /// creates nothing and applies the same Secrets; no plain text on disk, no overwriting.
    /// </summary>
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Export_encrypts_the_clusters_values_with_age_and_import_carries_them_to_a_new_cluster_unchanged()
    {
        using var old = new StandInTools(StandInTools.MinikubeContext);
        using var fresh = new StandInTools(StandInTools.MinikubeContext);
        var output = DeployCommandTests.CopyOfOutput();
        var keys = Directory.CreateTempSubdirectory("phase4-age-");
        try
        {
            var (identity, recipient) = await NewAgeKeyAsync(keys);
            Assert.Equal(0, (await ApplyAsync(old, output)).Exit);
            var applied = AppliedSecrets(old, "dev");
            old.KeepAppliedSecrets();
            var backup = Path.Combine(keys.FullName, "phase4-secrets.age");
            var console = new StringWriter();

            Assert.Equal(0, await Verbs(old, output, console).ExportSecretsAsync(App, null, backup, [recipient], null));

            var encrypted = File.ReadAllText(backup);
            Assert.StartsWith("-----BEGIN AGE ENCRYPTED FILE-----", encrypted, StringComparison.Ordinal);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(backup));
            var values = GeneratedValues(applied);
            Assert.All(values, value => Assert.DoesNotContain(value, encrypted, StringComparison.Ordinal));
            Assert.All(values, value => Assert.DoesNotContain(value, console.ToString(), StringComparison.Ordinal));
            Assert.Contains("$ age --encrypt --armor -r " + recipient + "  # standard input: the values, in plain text", console.ToString(), StringComparison.Ordinal);

            // Never over an existing file.
            var refusal = new StringWriter();
            Assert.Equal(1, await Verbs(old, output, refusal).ExportSecretsAsync(App, null, backup, [recipient], null));
            Assert.Contains("export never overwrites", refusal.ToString(), StringComparison.Ordinal);
            Assert.Equal(encrypted, File.ReadAllText(backup));

            var imported = new StringWriter();
            Assert.Equal(0, await Verbs(fresh, output, imported).ImportSecretsAsync(App, null, backup, identity));
            Assert.Contains($"$ age --decrypt -i {identity} {backup}", imported.ToString(), StringComparison.Ordinal);
            var import = Assert.Single(fresh.Inputs);
            Assert.Equal("kubectl --context dev apply -f -", import.Command);
            Assert.All(fresh.Commands, command => Assert.All(values, value => Assert.DoesNotContain(value, command, StringComparison.Ordinal)));
            Assert.All(values, value => Assert.DoesNotContain(value, imported.ToString(), StringComparison.Ordinal));
            fresh.KeepAppliedSecrets();

            var (exit, printed) = await ApplyAsync(fresh, output);
            Assert.Equal(0, exit);
            Assert.DoesNotContain("create Secret", printed, StringComparison.Ordinal);
            Assert.Equal(applied, AppliedSecrets(fresh, "dev"));
            Assert.Empty(Directory.EnumerateFiles(output.FullName, "*.secrets", SearchOption.AllDirectories));
        }
        finally
        {
            output.Delete(recursive: true);
            keys.Delete(recursive: true);
        }
    }

    /// <summary>Import only adds: a cluster holding another database password keeps it, and nothing is applied.</summary>
    [Fact]
    public async Task Import_refuses_a_backup_whose_value_differs_from_one_the_cluster_holds()
    {
        using var old = new StandInTools(StandInTools.MinikubeContext);
        using var other = new StandInTools(StandInTools.MinikubeContext);
        var output = DeployCommandTests.CopyOfOutput();
        var keys = Directory.CreateTempSubdirectory("phase4-age-");
        try
        {
            var (identity, recipient) = await NewAgeKeyAsync(keys);
            Assert.Equal(0, (await ApplyAsync(old, output)).Exit);
            old.KeepAppliedSecrets();
            var backup = Path.Combine(keys.FullName, "phase4-secrets.age");
            Assert.Equal(0, await Verbs(old, output, new StringWriter()).ExportSecretsAsync(App, null, backup, [recipient], null));
            Assert.Equal(0, (await ApplyAsync(other, output)).Exit);
            other.KeepAppliedSecrets();
            var before = other.Commands.Count;
            var console = new StringWriter();

            Assert.Equal(1, await Verbs(other, output, console).ImportSecretsAsync(App, null, backup, identity));

            Assert.Contains("import never changes a value the cluster holds", console.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(other.Commands.Skip(before), command => command.Contains(" apply ", StringComparison.Ordinal));
        }
        finally
        {
            output.Delete(recursive: true);
            keys.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("{\"format\":\"phase4-secrets/2\",\"inputs\":{}}")]
    [InlineData("{\"inputs\":{\"postgres-password\":\"x\"}}")]
    [InlineData("POSTGRES_PASSWORD=x")]
    public void A_decrypted_file_that_is_not_an_export_is_refused(string text) =>
        Assert.Contains("is not a backup made by `secrets export`", Assert.Throws<InvalidOperationException>(() => SecretsBackup.Read(text, "f.age")).Message, StringComparison.Ordinal);

    [Fact]
    public void An_export_holds_every_input_by_its_parameter_name_and_reads_back()
    {
        var values = InputValues.CreateMissing(App.Inputs, new Dictionary<string, string>(), _ => null);

        var read = SecretsBackup.Read(SecretsBackup.Write(App, values), "f.age");

        Assert.Equal(App.Inputs.Select(input => input.ParameterName).Order(), read.Keys.Order());
        Assert.All(App.Inputs, input => Assert.Equal(values[input.VariableName], read[input.ParameterName]));
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("export --to s.age --recipient age1x", "export")]
    [InlineData("export --to s.age --recipients-file r.txt", "export")]
    [InlineData("import s.age --identity key.txt", "import")]
    public void The_secrets_verb_takes_export_and_import_or_nothing(string arguments, string? action) =>
        Assert.Equal(action, CommandLine.Parse(arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries), "secrets").SecretsAction);

    [Theory]
    [InlineData("export --recipient age1x")]
    [InlineData("export --to s.age")]
    [InlineData("import s.age")]
    [InlineData("import --identity key.txt")]
    [InlineData("export --to s.age --recipient age1x --identity key.txt")]
    [InlineData("copy")]
    public void An_incomplete_secrets_command_is_refused_naming_what_it_takes(string arguments) =>
        Assert.Contains("export --to FILE", Assert.Throws<ArgumentException>(() => CommandLine.Parse(arguments.Split(' '), "secrets")).Message, StringComparison.Ordinal);

    /// <summary>
    /// The chart's route: the model's key from the environment is never in values.yaml but a second <c>--values -</c>
    /// on standard input (helm merges values files in order, and reads "-" from standard input: helm
    /// pkg/cli/values/options.go readFile, "load a file from stdin").
    /// </summary>
    [Fact]
    public async Task The_charts_secret_values_go_on_standard_input_not_in_the_values_file()
    {
        var app = KubernetesApp.From(await PublishedAppHostModel.LoadAsync(), Repository, KubernetesOptions.Default with { AiProvider = KubernetesOptions.OpenAIProvider, AiModel = "gpt-4o-mini" });
        var secret = HelmRelease.SecretValues(app, name => name == "AI_API_KEY" ? "sk-test-key" : null);

        Assert.Contains("sk-test-key", secret, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-test-key", HelmRelease.Values(app, new ApplySettings("minikube", ImageTags.Of("t1"))), StringComparison.Ordinal);
        Assert.Null(HelmRelease.SecretValues(app, _ => null));
        var context = new KubeContext("dev", IsMinikube: true);
        Assert.Equal(["helm", "template", "phase4", "Chart", "--values", "v.yaml", "--values", "-", "--dry-run=server", "--kube-context", "dev", "--namespace", "phase4"],
            HelmRelease.Template(context, "Chart", "v.yaml", secretValues: true));
        Assert.Equal(["helm", "upgrade", "--install", "phase4", "Chart", "--values", "v.yaml", "--wait", "--timeout", "10m", "--rollback-on-failure", "--kube-context", "dev", "--namespace", "phase4"],
            HelmRelease.Upgrade(context, "Chart", "v.yaml"));
    }

    private async Task<(int Exit, string Printed)> ApplyAsync(StandInTools tools, DirectoryInfo output)
    {
        var console = new StringWriter();
        var exit = await Verbs(tools, output, console).ApplyAsync(App, new ApplySettings("minikube", ImageTags.Of("t1")), kubeContext: null, confirmed: false);
        return (exit, console.ToString());
    }

    private static DeployVerbs Verbs(StandInTools tools, DirectoryInfo output, StringWriter console) =>
        new(Repository, output.FullName, tools.Runner(dryRun: false, console));

    /// <summary>The Secrets of the last <c>kubectl apply -f -</c>, by name, their data decoded.</summary>
    private static Dictionary<string, Dictionary<string, string>> AppliedSecrets(StandInTools tools, string context) =>
        StandInTools.SecretsIn(tools.Inputs.Last(entry => entry.Command == $"kubectl --context {context} apply -f -").Input);

    /// <summary>The values the publisher generated (passwords, private keys), recovered from the applied Secrets.</summary>
    private List<string> GeneratedValues(Dictionary<string, Dictionary<string, string>> secrets)
    {
        var stored = App.Workloads.Where(w => w.SecretSettings.Count > 0).ToDictionary(
            w => w.Name,
            w => new StoredSecret(w.Name, secrets.Single(secret => secret.Key.StartsWith(w.SecretName + "-", StringComparison.Ordinal)).Value));
        var known = SecretPlan.Known(App, stored);
        return App.Inputs.Where(input => input.Generator is RandomPasswordGenerator or EcPrivateKeyGenerator)
            .Select(input => known[input.VariableName].Value).ToList();
    }

    /// <summary>No file under the output folder, no command line and no printed line holds a value, in any form.</summary>
    private static void AssertNowhere(List<string> values, Dictionary<string, Dictionary<string, string>> secrets, DirectoryInfo output, StandInTools tools, string printed)
    {
        var forms = values.SelectMany(value => new[] { value, Base64(value), value.Replace("\n", "\\n", StringComparison.Ordinal) })
            .Concat(secrets.Values.SelectMany(data => data.Values).Where(value => value.Length > 0).Select(Base64))
            .Concat(values.Where(value => value.Contains('\n')).SelectMany(value => value.Split('\n').Where(line => line.Length > 40)))
            .ToList();
        var files = Directory.EnumerateFiles(output.FullName, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).ToList();
        Assert.Contains(files, file => file.Contains(DeployCommands.ApplyFolder, StringComparison.Ordinal));
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            Assert.All(forms, form => Assert.False(text.Contains(form, StringComparison.Ordinal), $"{file} holds a generated value"));
        }

        Assert.All(tools.Commands, command => Assert.All(forms, form => Assert.DoesNotContain(form, command, StringComparison.Ordinal)));
        Assert.All(forms, form => Assert.DoesNotContain(form, printed, StringComparison.Ordinal));
    }

    private static string Base64(string value) => Convert.ToBase64String(Encoding.UTF8.GetBytes(value));

    /// <summary>A new age identity (age-keygen -o FILE) and its recipient (age-keygen -y FILE).</summary>
    private static async Task<(string Identity, string Recipient)> NewAgeKeyAsync(DirectoryInfo folder)
    {
        var identity = Path.Combine(folder.FullName, "key.txt");
        await KubernetesTools.RunAsync("age-keygen", ["-o", identity], folder.FullName);
        var recipient = (await KubernetesTools.RunAsync("age-keygen", ["-y", identity], folder.FullName)).Trim();
        Assert.StartsWith("age1", recipient, StringComparison.Ordinal);
        return (identity, recipient);
    }
}
