using System.Text.Json;
using System.Text.Json.Serialization;
using Phase4.Backend.Auth;
using Phase4.Backend.Tasks;

namespace Phase4.Backend.Http;

/// <summary>Source-generated (reflection-free) JSON metadata for every request and response body, in snake_case.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(CredentialsRequest))]
[JsonSerializable(typeof(RegisteredAccount))]
[JsonSerializable(typeof(LoginResponse))]
[JsonSerializable(typeof(McpTokenResponse))]
[JsonSerializable(typeof(JsonWebKeySet))]
[JsonSerializable(typeof(TaskRequest))]
[JsonSerializable(typeof(CompletionRequest))]
[JsonSerializable(typeof(TaskResponse))]
[JsonSerializable(typeof(List<TaskResponse>))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
