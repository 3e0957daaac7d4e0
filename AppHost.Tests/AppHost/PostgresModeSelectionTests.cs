using Phase4.AppHost.Postgres;

namespace Phase4.Tests.AppHost;

public sealed class PostgresModeSelectionTests
{
    private static bool ProbeMustNotRun() => throw new InvalidOperationException("Docker must not be probed here.");

    [Theory]
    [InlineData(null)]
    [InlineData("local")]
    [InlineData("external")]
    public void Publish_mode_always_models_the_container(string? configured) =>
        Assert.Equal(PostgresMode.Container, PostgresModeSelection.Choose(configured, isPublishMode: true, ProbeMustNotRun));

    [Theory]
    [InlineData("local", "Local")]
    [InlineData("Container", "Container")]
    [InlineData(" EXTERNAL ", "External")]
    public void A_configured_mode_wins_without_probing_docker(string configured, string expected) =>
        Assert.Equal(expected, PostgresModeSelection.Choose(configured, isPublishMode: false, ProbeMustNotRun).ToString());

    [Theory]
    [InlineData(null, true, "Container")]
    [InlineData("", true, "Container")]
    [InlineData(null, false, "Local")]
    [InlineData("  ", false, "Local")]
    public void Unset_mode_picks_the_container_only_when_a_docker_engine_answers(string? configured, bool dockerAnswers, string expected) =>
        Assert.Equal(expected, PostgresModeSelection.Choose(configured, isPublishMode: false, () => dockerAnswers).ToString());

    [Theory]
    [InlineData("docker")]
    [InlineData("1")]
    [InlineData("local,container")]
    public void An_unknown_mode_is_rejected_naming_the_valid_ones(string configured)
    {
        var error = Assert.Throws<InvalidOperationException>(() => PostgresModeSelection.Choose(configured, isPublishMode: false, ProbeMustNotRun));
        Assert.Contains("container, local or external", error.Message, StringComparison.Ordinal);
    }
}
