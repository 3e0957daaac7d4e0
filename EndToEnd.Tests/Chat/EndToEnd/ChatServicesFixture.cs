namespace Phase4.Tests.Chat.EndToEnd;

/// <summary>One <see cref="ChatServices"/> with the builtin assistant, shared by a collection's test classes.</summary>
public sealed class ChatServicesFixture : IAsyncLifetime
{
    public ChatServices Services { get; private set; } = null!;

    public async Task InitializeAsync() => Services = await ChatServices.StartAsync();

    public async Task DisposeAsync()
    {
        if (Services is not null)
        {
            await Services.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SharedChatServices : ICollectionFixture<ChatServicesFixture>
{
    public const string Name = "Chat over real Backend.Api, McpServer and PostgreSQL";
}

/// <summary>Tests that stop, kill or reconfigure processes get a stack of their own.</summary>
[CollectionDefinition(Name)]
public sealed class DisruptedChatServices : ICollectionFixture<ChatServicesFixture>
{
    public const string Name = "Chat stack for restarts, outages and other providers";
}
