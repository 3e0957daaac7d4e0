using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s.Models;
using Phase4.Publisher;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Deploy;

/// <summary>
/// docs/kubernetes.md against the code: every publisher command in its examples parses with the publisher's own
/// command line (verb and options), the resources it states are the manifests', the chart values it names exist, and
/// the examples create the namespace before a Secret in it.
/// </summary>
[Collection(RenderedKubernetesGroup.Name)]
public sealed partial class KubernetesDocsTests(RenderedKubernetesFixture rendered)
{
    private static readonly string Doc = File.ReadAllText(Path.Combine(RepositoryRoot.Folder, "docs", "kubernetes.md"));

    private static readonly string[] Verbs = ["generate", "secrets", "build", "apply", "destroy", "rollback", "backup", "restore"];

    private static IEnumerable<string> BashBlocks => CodeBlock().Matches(Doc).Select(match => match.Groups[1].Value.Replace("\\\n", " ", StringComparison.Ordinal));

    [Fact]
    public void Every_publisher_command_in_the_walkthroughs_is_one_the_publisher_accepts()
    {
        var commands = BashBlocks.SelectMany(block => block.Split('\n'))
            .Select(line => line.Split(" #")[0])
            .SelectMany(line => PublisherCommand().Matches(line).Select(match => match.Groups[1].Value.Trim()))
            .ToList();
        Assert.True(commands.Count > 20, $"found {commands.Count}");
        foreach (var command in commands)
        {
            // Optional parts in brackets are real options too; placeholders stand for a value.
            var words = Placeholder().Replace(command.Replace("[", "", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal), "x")
                .Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Contains(words[0], Verbs);
            var exception = Record.Exception(() => CommandLine.Parse(words[1..], words[0]));
            Assert.True(exception is null, $"`{command}`: {exception?.Message}");
        }
    }

    [Fact]
    public void The_resources_the_doc_states_are_the_manifests()
    {
        var resources = rendered.Template(RenderedKubernetesFixture.Base, "frontend").Container().Resources;
        var stated = FrontendMemory().Match(Doc);
        Assert.True(stated.Success, "the doc states the frontend's memory request and limit");
        Assert.Equal(resources.Requests["memory"].ToString(), stated.Groups[1].Value);
        Assert.Equal(resources.Limits["memory"].ToString(), stated.Groups[2].Value);
    }

    /// <summary>The committed chart's schema refuses unknown keys: every <c>secrets.*</c> the doc offers is in it, but for the key of the openai provider, said to be so.</summary>
    [Fact]
    public void Every_secrets_value_the_doc_offers_is_in_the_charts_schema_or_said_to_need_the_openai_chart()
    {
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Folder, "aspirate-output", "Chart", "values.schema.json")))!;
        var keys = schema["properties"]!["secrets"]!["properties"]!.AsObject().Select(entry => entry.Key).ToHashSet();
        foreach (Match mention in SecretsValue().Matches(Doc))
        {
            var key = mention.Groups[1].Value;
            if (!keys.Contains(key))
            {
                Assert.Equal("aiApiKey", key);
                Assert.Contains("--ai-provider openai", Doc.Substring(mention.Index, Math.Min(160, Doc.Length - mention.Index)), StringComparison.Ordinal);
            }
        }

        foreach (var table in TableKeys().Matches(Doc).Select(match => match.Groups[1].Value))
        {
            Assert.Contains(table, keys);
        }
    }

    /// <summary>A Secret in the app's namespace can only be created once the namespace exists.</summary>
    [Fact]
    public void Every_example_creates_the_namespace_before_a_Secret_in_it()
    {
        var blocks = BashBlocks.Where(block => block.Contains("create secret tls", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(blocks);
        foreach (var block in blocks)
        {
            var secret = block.IndexOf("create secret tls", StringComparison.Ordinal);
            Assert.True(block.IndexOf("kubectl apply -f aspirate-output/namespace.yaml", StringComparison.Ordinal) is >= 0 and var created && created < secret, block);
        }
    }

    [GeneratedRegex("```bash\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    [GeneratedRegex(@"dotnet run --project Publisher -- ([^`|;&]+?)(?=$|\s*[|;&`]|\s{2,})")]
    private static partial Regex PublisherCommand();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"the frontend (\d+Mi) with (\d+Mi)")]
    private static partial Regex FrontendMemory();

    [GeneratedRegex(@"`secrets\.([A-Za-z]+)`")]
    private static partial Regex SecretsValue();

    /// <summary>The secrets named in the values table's <c>secrets.*</c> row.</summary>
    [GeneratedRegex(@"\| `secrets\.\*` \| empty: generated \| `postgresPassword`.*?`(tasksdbBackendPassword)`")]
    private static partial Regex TableKeys();
}
