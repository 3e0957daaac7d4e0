namespace Phase4.Backend.Chat;

/// <summary>
/// The chat model (section <c>AI</c>): <c>builtin</c> (default, offline, no key) or <c>openai</c> — any
/// OpenAI-compatible endpoint (OpenAI, Azure OpenAI, Ollama, vLLM, LM Studio). <see cref="ApiKey"/> is a secret: it
/// is never logged and never part of an error message.
/// </summary>
public sealed class AiOptions
{
    public const string SectionName = "AI";

    public const string BuiltinProvider = "builtin";
    public const string OpenAIProvider = "openai";

    public string Provider { get; set; } = BuiltinProvider;

    /// <summary>The OpenAI-compatible base URL, e.g. <c>http://localhost:11434/v1</c>; empty means api.openai.com.</summary>
    public Uri? Endpoint { get; set; }

    public string? Model { get; set; }

    public string? ApiKey { get; set; }

    /// <summary>How long one model call may take: real models can need a minute or more.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>How many stored messages (user and assistant) are sent with each turn, the most recent ones.</summary>
    public int MaxHistoryMessages { get; set; } = 20;

    public bool UsesOpenAI => string.Equals(Provider, OpenAIProvider, StringComparison.OrdinalIgnoreCase);
}
