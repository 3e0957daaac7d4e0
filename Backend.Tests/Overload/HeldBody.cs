using System.Net;
using System.Text;

namespace Phase4.Tests.Overload;

/// <summary>
/// A JSON body sent in two parts, the second only once <see cref="Release"/> is called: the server has the request
/// (and its concurrency permit) from the first part on, so a test can hold a slot open for as long as it needs.
/// </summary>
public sealed class HeldBody(string firstPart, string rest) : HttpContent
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _released.TrySetResult();

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(firstPart));
        await stream.FlushAsync();
        await _released.Task;
        await stream.WriteAsync(Encoding.UTF8.GetBytes(rest));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
