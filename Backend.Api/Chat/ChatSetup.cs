using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OpenAI;
using Phase4.Backend.Chat.Builtin;
using Phase4.Domain.Conversations;
using Phase4.Domain.Data;

namespace Phase4.Backend.Chat;

public static class ChatSetup
{
    /// <summary>The named HTTP client for model calls: a long timeout and no standard resilience handler.</summary>
    public const string ModelHttpClientName = "ai-model";

    /// <summary>
    /// The chat feature: conversation storage, the MCP tool connection, and the <see cref="IChatClient"/> pipeline
    /// (function invocation, logging, OpenTelemetry) over the provider <c>AI:Provider</c> picks.
    /// </summary>
    public static WebApplicationBuilder AddChat(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AiOptions>().Bind(builder.Configuration.GetSection(AiOptions.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AiOptions>, AiOptionsValidation>();
        builder.Services.AddOptions<McpConnectionOptions>().Bind(builder.Configuration.GetSection(McpConnectionOptions.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<McpConnectionOptions>, McpConnectionOptionsValidation>();

        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, ChatJsonContext.Default));
        builder.Services.AddScoped<ConversationStore>();
        builder.Services.AddScoped<ChatAgent>();
        builder.Services.AddScoped<ChatTurnService>();
        builder.Services.AddSingleton<McpToolClient>();
        builder.Services.AddSingleton<IWarmUp, ConversationWarmUp>();
        builder.Services.AddSingleton<IWarmUp, ChatWarmUp>();

        // The standard handler's 10 s attempt timeout and retries suit neither a model that thinks for a minute nor
        // tool calls that change data: these clients get one attempt bounded by their own timeout. Removing the
        // handler ServiceDefaults adds to every client is the supported way, though still marked experimental.
#pragma warning disable EXTEXP0001
        builder.Services.AddHttpClient(McpToolClient.HttpClientName)
            .RemoveAllResilienceHandlers()
            .ConfigureHttpClient((services, http) => http.Timeout = services.GetRequiredService<IOptions<McpConnectionOptions>>().Value.Timeout)
            .ConfigurePrimaryHttpMessageHandler(services => new SocketsHttpHandler
            {
                ConnectTimeout = services.GetRequiredService<IOptions<McpConnectionOptions>>().Value.ConnectTimeout,
            });
        builder.Services.AddHttpClient(ModelHttpClientName)
            .RemoveAllResilienceHandlers()
            .ConfigureHttpClient((services, http) => http.Timeout = services.GetRequiredService<IOptions<AiOptions>>().Value.Timeout);
#pragma warning restore EXTEXP0001

        builder.Services.AddChatClient(CreateProviderClient)
            .UseFunctionInvocation(configure: invocation => invocation.MaximumIterationsPerRequest = 10)
            .UseLogging()
            .UseOpenTelemetry();
        return builder;
    }

    private static IChatClient CreateProviderClient(IServiceProvider services)
    {
        var ai = services.GetRequiredService<IOptions<AiOptions>>().Value;
        if (!ai.UsesOpenAI)
        {
            return new BuiltinChatClient();
        }

        var options = new OpenAIClientOptions
        {
            Endpoint = ai.Endpoint,
            NetworkTimeout = ai.Timeout,

            // A model call that failed may still have been billed or acted on: no blind retries.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            Transport = new HttpClientPipelineTransport(services.GetRequiredService<IHttpClientFactory>().CreateClient(ModelHttpClientName)),
        };

        // Local servers (Ollama, vLLM, LM Studio) ignore the key but the client requires one.
        var key = new ApiKeyCredential(string.IsNullOrWhiteSpace(ai.ApiKey) ? "unused" : ai.ApiKey);
        return new OpenAIClient(key, options).GetChatClient(ai.Model).AsIChatClient();
    }
}
