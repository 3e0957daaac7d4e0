using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Kubernetes.Manifest;
using Phase4.Publisher.Kubernetes.Manifest.Objects;

namespace Phase4.Tests.Deploy;

/// <summary>
/// The publisher's Kubernetes objects are typed records whose fields hold a literal (the Kustomize base) or a Helm
/// expression (the chart), written by one writer: the same record type gives both outputs, and a misspelt field does
/// not compile.
/// </summary>
public sealed class TypedManifestTests
{
    private static PodDisruptionBudget Budget(Value<string> name) =>
        new(new ObjectMeta(name, null), new PodDisruptionBudgetSpec(MaxUnavailable: 1, new LabelSelector()));

    private static HorizontalPodAutoscalerSpec Scaling(Value<int> minReplicas) => new(
        new CrossVersionObjectReference("apps/v1", "Deployment", "backend"),
        minReplicas,
        MaxReplicas: 5,
        [new MetricSpec("Resource", new ResourceMetricSource("cpu", new MetricTarget("Utilization", 70)))]);

    [Fact]
    public void A_field_is_written_as_its_literal_or_as_the_charts_expression()
    {
        var literal = ManifestWriter.Write(ObjectWriter.ToNode(Budget("backend")), []);
        var expression = ManifestWriter.Write(ObjectWriter.ToNode(Budget(Value<string>.Helm("include \"phase4.objectName\" $"))), []);

        Assert.Equal("""
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata:
              name: backend
            spec:
              maxUnavailable: 1
              selector: {}

            """, literal);
        Assert.Contains("  name: {{ include \"phase4.objectName\" $ }}\n", expression);
    }

    [Fact]
    public void A_typed_number_field_takes_a_literal_number_or_an_expression_and_a_conditional_field_is_wrapped_in_if()
    {
        var literal = ManifestWriter.Write(ObjectWriter.ToNode(Scaling(2))!, []);
        var conditional = ManifestWriter.Write(ObjectWriter.ToNode(Scaling(
            Value<int>.When("$.Values.autoscaling.enabled", Value<int>.Helm("$.Values.autoscaling.minReplicas"))))!, []);

        Assert.Contains("\nminReplicas: 2\nmaxReplicas: 5\n", literal);
        Assert.Contains("\n{{- if $.Values.autoscaling.enabled }}\nminReplicas: {{ $.Values.autoscaling.minReplicas }}\n{{- end }}\nmaxReplicas: 5\n", conditional);
    }

    [Fact]
    public void Chart_list_items_are_written_with_if_else_and_range_at_the_items_indent()
    {
        var rule = new NetworkPolicyEgressRule(null, [new NetworkPolicyPort("TCP", 5432)]);
        var spec = new NetworkPolicySpec(new LabelSelector(), ["Egress"], Egress:
        [
            Item<NetworkPolicyEgressRule>.If("not .Values.external", [rule], [new NetworkPolicyEgressRule(null, [new NetworkPolicyPort("TCP", Value<int>.Helm(".Values.port"))])]),
        ]);

        var text = ManifestWriter.Write(Nodes.Map(("spec", ObjectWriter.ToNode(spec))), []);

        Assert.Equal("""
            spec:
              podSelector: {}
              policyTypes:
              - Egress
              egress:
              {{- if not .Values.external }}
              - ports:
                - protocol: TCP
                  port: 5432
              {{- else }}
              - ports:
                - protocol: TCP
                  port: {{ .Values.port }}
              {{- end }}

            """, text);
    }
}
