namespace Phase4.ServiceDefaults.Security;

/// <summary>
/// Token settings shared by the issuer (Backend.Api) and every validator (Backend.Api, McpServer). The defaults let a
/// standalone backend and MCP server cooperate with only the key pair configured.
/// </summary>
public sealed class JwtOptions
{
    public const string SectionName = "Jwt";

    public string Issuer { get; set; } = "phase4-backend";

    /// <summary>Audience of tokens for the REST API.</summary>
    public string Audience { get; set; } = "phase4-api";

    /// <summary>Audience of tokens for the MCP server; never accepted by the REST API and vice versa.</summary>
    public string McpAudience { get; set; } = "phase4-mcp";

    /// <summary>PEM private key (EC P-256 for ES256, or RSA for RS256). Only the issuer has it.</summary>
    public string? SigningKey { get; set; }

    /// <summary>PEM public key; validators that are not the issuer use it.</summary>
    public string? PublicKey { get; set; }

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Lifetime of tokens handed to external MCP clients (Inspector, Claude Desktop, VS Code). Short, because such a
    /// token sits in a client's configuration file; <c>DELETE /api/auth/mcp-tokens</c> revokes them all sooner.
    /// </summary>
    public TimeSpan McpTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Lifetime of the token the chat agent mints for one turn's MCP calls.</summary>
    public TimeSpan AgentTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a service may rely on what it last read about revocations (a signed-out token, an account's MCP token
    /// version) before reading again: the longest a revoked token can still be accepted. 0 reads on every request.
    /// </summary>
    public TimeSpan RevocationCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long after its <c>exp</c> (and before its <c>nbf</c>) a token is still accepted, for clocks that disagree a
    /// little. A signed-out token must stay refused this long past its expiry too.
    /// </summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>The upper bound of <see cref="RevocationCheckInterval"/>, the promise the revocation endpoints make.</summary>
    public static readonly TimeSpan MaxRevocationCheckInterval = TimeSpan.FromSeconds(30);
}

/// <summary>Claims of this system's tokens beyond the registered ones.</summary>
public static class Phase4Claims
{
    /// <summary>In MCP tokens: the account's MCP token version when it was issued (absent counts as 0).</summary>
    public const string McpTokenVersion = "mcp_ver";

    /// <summary>
    /// In MCP tokens: "true" on the backend's start-up warm-up token (<c>ChatWarmUp</c>), whose subject is a new id that
    /// no account has. The MCP server accepts it only while no account has that id, and for read-only tools only.
    /// </summary>
    public const string WarmUp = "warm_up";
}
