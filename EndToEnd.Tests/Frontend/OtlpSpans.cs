using Google.Protobuf;

namespace Phase4.Tests.Frontend;

/// <summary>A span as an OTLP/HTTP trace export (protobuf) carries it: the service that sent it, and what it is.</summary>
public sealed record OtlpSpan(string Service, string Scope, string TraceId, string Name);

/// <summary>
/// Reads the spans out of an <c>ExportTraceServiceRequest</c> with protobuf's wire format alone (the field numbers of
/// opentelemetry/proto/trace/v1/trace.proto), so the test needs no generated OTLP types.
/// </summary>
public static class OtlpSpans
{
    public static IEnumerable<OtlpSpan> Read(byte[] exportTraceServiceRequest)
    {
        foreach (var resourceSpans in Fields(ByteString.CopyFrom(exportTraceServiceRequest), 1))
        {
            // ResourceSpans: resource = 1, scope_spans = 2. Resource: attributes = 1 (KeyValue: key = 1, value = 2).
            var service = Fields(resourceSpans, 1).SelectMany(resource => Fields(resource, 1))
                .Where(attribute => Fields(attribute, 1).Single().ToStringUtf8() == "service.name")
                .Select(attribute => Fields(Fields(attribute, 2).Single(), 1).Single().ToStringUtf8())
                .FirstOrDefault() ?? "";
            foreach (var scopeSpans in Fields(resourceSpans, 2))
            {
                // ScopeSpans: scope = 1 (name = 1), spans = 2. Span: trace_id = 1, name = 5.
                var scope = Fields(scopeSpans, 1).SelectMany(s => Fields(s, 1)).FirstOrDefault()?.ToStringUtf8() ?? "";
                foreach (var span in Fields(scopeSpans, 2))
                {
                    yield return new OtlpSpan(
                        service,
                        scope,
                        Convert.ToHexStringLower(Fields(span, 1).Single().ToByteArray()),
                        Fields(span, 5).SingleOrDefault()?.ToStringUtf8() ?? "");
                }
            }
        }
    }

    /// <summary>The length-delimited values (messages, strings, bytes) of one field of a message.</summary>
    private static List<ByteString> Fields(ByteString message, int field)
    {
        var values = new List<ByteString>();
        var input = message.CreateCodedInput();
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            if (WireFormat.GetTagFieldNumber(tag) == field && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                values.Add(input.ReadBytes());
            }
            else
            {
                input.SkipLastField();
            }
        }

        return values;
    }
}
