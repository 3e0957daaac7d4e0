using k8s.Models;

namespace Phase4.Tests.Deploy;

/// <summary>Ways into the rendered objects that the Kubernetes tests share.</summary>
internal static class RenderedObjects
{
    /// <summary>Every workload's pod template, with the workload's kind and name (its AppHost resource's, in every variant).</summary>
    public static IEnumerable<(string Kind, string Name, V1PodTemplateSpec Template)> PodTemplates(this RenderedKubernetesFixture rendered, string variant) =>
        rendered.All<V1Deployment>(variant).Select(d => ("Deployment", WorkloadName(d.Spec.Template), d.Spec.Template))
            .Concat(rendered.All<V1StatefulSet>(variant).Select(s => ("StatefulSet", WorkloadName(s.Spec.Template), s.Spec.Template)))
            .Concat(rendered.All<V1Job>(variant).Select(j => ("Job", WorkloadName(j.Spec.Template), j.Spec.Template)));

    private static string WorkloadName(V1PodTemplateSpec template) => template.Metadata.Labels["app.kubernetes.io/name"];

    public static V1Container Container(this V1PodTemplateSpec template) => Assert.Single(template.Spec.Containers);

    /// <summary>The workload's settings: its ConfigMap's data (from the configMapRef in envFrom).</summary>
    public static IDictionary<string, string> Settings(this RenderedKubernetesFixture rendered, string variant, V1PodTemplateSpec template)
    {
        var name = template.Container().EnvFrom.Single(source => source.ConfigMapRef is not null).ConfigMapRef.Name;
        return rendered.Exact<V1ConfigMap>(variant, name).Data;
    }

    /// <summary>The workload's Secret keys and values, or nothing when it has no Secret.</summary>
    public static IDictionary<string, string> Secrets(this RenderedKubernetesFixture rendered, string variant, V1PodTemplateSpec template)
    {
        var reference = template.Container().EnvFrom.SingleOrDefault(source => source.SecretRef is not null)?.SecretRef;
        if (reference is null)
        {
            return new Dictionary<string, string>();
        }

        // Kustomize and the chart write base64 data; an empty value (an AI key the operator left out) parses as null bytes.
        var secret = rendered.Exact<V1Secret>(variant, reference.Name);
        return secret.Data.ToDictionary(entry => entry.Key, entry => System.Text.Encoding.UTF8.GetString(entry.Value ?? []));
    }

    public static V1PodTemplateSpec Template(this RenderedKubernetesFixture rendered, string variant, string workload) =>
        rendered.PodTemplates(variant).Single(entry => entry.Name == workload).Template;

    public static TheoryData<string> VariantData() => [.. RenderedKubernetesFixture.Variants];
}
