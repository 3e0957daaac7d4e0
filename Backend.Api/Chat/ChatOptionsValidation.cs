using Microsoft.Extensions.Options;

namespace Phase4.Backend.Chat;

/// <summary>Start-up checks of the <c>AI</c> section. Messages name the setting, never the key's value.</summary>
internal sealed class AiOptionsValidation : IValidateOptions<AiOptions>
{
    public ValidateOptionsResult Validate(string? name, AiOptions options)
    {
        var failures = new List<string>();
        if (!options.UsesOpenAI && !string.Equals(options.Provider, AiOptions.BuiltinProvider, StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"AI:Provider must be '{AiOptions.BuiltinProvider}' or '{AiOptions.OpenAIProvider}'.");
        }

        if (options.Timeout < TimeSpan.FromSeconds(1) || options.Timeout > TimeSpan.FromMinutes(10))
        {
            failures.Add("AI:Timeout must be between 1 second and 10 minutes.");
        }

        if (options.MaxHistoryMessages is < 1 or > 200)
        {
            failures.Add("AI:MaxHistoryMessages must be between 1 and 200.");
        }

        if (options.UsesOpenAI)
        {
            if (string.IsNullOrWhiteSpace(options.Model))
            {
                failures.Add("AI:Model is required with the openai provider (e.g. gpt-4o-mini, llama3.1).");
            }

            if (options.Endpoint is { } endpoint && (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps)))
            {
                failures.Add("AI:Endpoint must be an absolute http or https URL, e.g. http://localhost:11434/v1.");
            }

            if (options.Endpoint is null && string.IsNullOrWhiteSpace(options.ApiKey))
            {
                failures.Add("AI:ApiKey is required for api.openai.com; set AI__ApiKey (a secret) or AI:Endpoint for a local server.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

internal sealed class McpConnectionOptionsValidation : IValidateOptions<McpConnectionOptions>
{
    public ValidateOptionsResult Validate(string? name, McpConnectionOptions options)
    {
        var failures = new List<string>();
        if (options.Endpoint is not { IsAbsoluteUri: true, Scheme: "http" or "https" })
        {
            failures.Add("Mcp:Endpoint must be an absolute http or https URL, e.g. http://mcpserver/mcp.");
        }

        if (options.Timeout < TimeSpan.FromSeconds(1) || options.Timeout > TimeSpan.FromMinutes(5))
        {
            failures.Add("Mcp:Timeout must be between 1 second and 5 minutes.");
        }

        if (options.ConnectTimeout < TimeSpan.FromMilliseconds(100) || options.ConnectTimeout > options.Timeout)
        {
            failures.Add("Mcp:ConnectTimeout must be at least 100 ms and at most Mcp:Timeout.");
        }

        if (options.ToolList.TimeToLive < TimeSpan.Zero || options.ToolList.TimeToLive > TimeSpan.FromDays(1))
        {
            failures.Add("Mcp:ToolList:TimeToLive must be between 0 (ask on every turn) and 1 day.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
