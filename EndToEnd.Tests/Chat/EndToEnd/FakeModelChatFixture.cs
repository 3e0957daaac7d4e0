namespace Phase4.Tests.Chat.EndToEnd;

/// <summary>
/// The chat stack whose backend uses the <c>openai</c> provider against a <see cref="FakeOpenAIServer"/>; each
/// fixture adds the settings its tests are about.
/// </summary>
public abstract class FakeModelChatFixture : IAsyncLifetime
{
    public const string ApiKey = "test-key-not-a-secret";
    public const string Model = "fake-model";

    public FakeOpenAIServer FakeModel { get; private set; } = null!;

    public ChatServices Services { get; private set; } = null!;

    /// <summary>Backend settings on top of the provider's, in environment form (<c>Section__Key</c>).</summary>
    protected abstract IReadOnlyDictionary<string, string?> ExtraSettings { get; }

    public async Task InitializeAsync()
    {
        FakeModel = await FakeOpenAIServer.StartAsync();
        var settings = new Dictionary<string, string?>(ExtraSettings)
        {
            ["AI__Provider"] = "openai",
            ["AI__Endpoint"] = FakeModel.Endpoint.ToString(),
            ["AI__Model"] = Model,
            ["AI__ApiKey"] = ApiKey,
        };
        Services = await ChatServices.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        if (Services is not null)
        {
            await Services.DisposeAsync();
        }

        if (FakeModel is not null)
        {
            await FakeModel.DisposeAsync();
        }
    }
}
