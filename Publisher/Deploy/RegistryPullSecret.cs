using System.Text;
using System.Text.Json.Nodes;
using Phase4.Publisher.Kubernetes;

namespace Phase4.Publisher.Deploy;

/// <summary>
/// The credentials of a private registry for <c>apply --create-pull-secret</c>, as Aspirate's
/// <c>--private-registry-username</c>/<c>--private-registry-password</c> take them: from the environment
/// (<see cref="UsernameVariable"/>, <see cref="PasswordVariable"/>), or the password from standard input as <c>docker
/// login --password-stdin</c> reads it. Never from a command line; <see cref="ToString"/> leaves the password out.
/// </summary>
internal sealed class RegistryCredentials(string server, string username, string password)
{
    public const string UsernameVariable = "REGISTRY_USERNAME";

    public const string PasswordVariable = "REGISTRY_PASSWORD";

    /// <summary>The registry's host (and port): the key of its entry in a Docker config, as <c>docker login</c> stores it.</summary>
    public string Server => server;

    public string Username => username;

    public string Password => password;

    /// <summary>
    /// The credentials for <paramref name="registry"/> (<c>HOST[:PORT][/PATH]</c>, as <c>--registry</c> takes it); the
    /// password from <paramref name="standardInput"/> when given (all of it, one trailing line break removed, as docker
    /// cli's login does), else from the environment. Missing ones fail, naming where they are read from.
    /// </summary>
    public static RegistryCredentials Read(string registry, Func<string, string?> environment, TextReader? standardInput)
    {
        var user = environment(UsernameVariable);
        var secret = standardInput is null ? environment(PasswordVariable) : TrimLineBreak(standardInput.ReadToEnd());
        if (string.IsNullOrEmpty(user) || string.IsNullOrEmpty(secret))
        {
            throw new ArgumentException(
                $"--create-pull-secret needs the registry's credentials: the user name in {UsernameVariable} and the password in " +
                $"{PasswordVariable}, or on standard input with --password-stdin. Nothing was changed.");
        }

        return new RegistryCredentials(registry.Split('/')[0], user, secret);
    }

    public override string ToString() => $"{username} at {server}";

    private static string TrimLineBreak(string text)
    {
        var trimmed = text.EndsWith('\n') ? text[..^1] : text;
        return trimmed.EndsWith('\r') ? trimmed[..^1] : trimmed;
    }
}

/// <summary>
/// The Secret of type <c>kubernetes.io/dockerconfigjson</c> that <c>apply --create-pull-secret</c> creates or updates,
/// built here and handed to <c>kubectl apply -f -</c> on standard input, so the password is in no argument vector and no
/// file (<c>kubectl create secret docker-registry</c> would take it as <c>--docker-password</c>).
/// </summary>
internal sealed record RegistryPullSecret(string Name, RegistryCredentials Credentials)
{
    /// <summary>
    /// <c>kubectl apply -f -</c>: "Apply the JSON passed into stdin" (kubectl apply --help, <c>cat pod.json | kubectl
    /// apply -f -</c>); creates the Secret or updates it in place.
    /// </summary>
    public static string[] Command(KubeContext context) => context.Kubectl("-n", context.Namespace, "apply", "-f", "-");

    /// <summary>
    /// The Secret, as JSON: its <c>.dockerconfigjson</c> holds <c>{"auths":{SERVER:{"username","password","auth"}}}</c>,
    /// <c>auth</c> being base64 of <c>user:password</c> — what <c>kubectl create secret docker-registry</c> writes (k8s.io/kubectl
    /// pkg/cmd/create/create_secret_docker.go, handleDockerCfgJSONContent). Labelled as the app's, but not as managed by
    /// the publisher: <c>destroy</c> keeps it (it is the operator's credential), <c>destroy --purge</c> deletes it with the namespace.
    /// </summary>
    public string Manifest(string @namespace)
    {
        var auths = new JsonObject
        {
            [Credentials.Server] = new JsonObject
            {
                ["username"] = Credentials.Username,
                ["password"] = Credentials.Password,
                ["auth"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Credentials.Username}:{Credentials.Password}")),
            },
        };
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject
            {
                ["name"] = Name,
                ["namespace"] = @namespace,
                ["labels"] = new JsonObject { ["app.kubernetes.io/part-of"] = KubernetesApp.Instance },
            },
            ["type"] = "kubernetes.io/dockerconfigjson",
            ["data"] = new JsonObject
            {
                [".dockerconfigjson"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonObject { ["auths"] = auths }.ToJsonString())),
            },
        }.ToJsonString();
    }
}
