namespace Phase4.Publisher.Model;

/// <summary>How the one-off secrets command creates a deployment input's value.</summary>
internal abstract record InputGenerator;

/// <summary>Random letters and digits (URI- and connection-string-safe), at least <see cref="MinLength"/> long.</summary>
internal sealed record RandomPasswordGenerator(int MinLength) : InputGenerator;

/// <summary>A P-256 private key in PKCS#8 PEM (the backend signs ES256 tokens with it).</summary>
internal sealed record EcPrivateKeyGenerator : InputGenerator;

/// <summary>The PEM public key of another input's private key.</summary>
internal sealed record PublicKeyOfGenerator(string PrivateKeyParameter) : InputGenerator;

/// <summary>A non-secret parameter's default value.</summary>
internal sealed record DefaultValueGenerator(string Value) : InputGenerator;

/// <summary>Nothing to generate: the operator supplies the value (taken from the environment when set).</summary>
internal sealed record OperatorSuppliedInput : InputGenerator;
