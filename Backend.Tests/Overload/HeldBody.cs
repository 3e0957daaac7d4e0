using System.Net;
using System.Text;

namespace Phase4.Tests.Overload;

/// <summary>
/// A JSON body sent in two parts, the second only once <see cref="Release"/> is called: the server has the request
/// (and its concurrency permit) from the first part on, so a test can hold a slot open for as long as it needs.
/// </summary>
public sealed class HeldBody(string firstPart, string rest) : HttpContent
{
    private static readonly byte[] Whitespace = Encoding.UTF8.GetBytes(new string(' ', 128));

    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _released.TrySetResult();

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(firstPart));
        await stream.FlushAsync();
        // Trickle JSON whitespace meanwhile (about 500 bytes/s, so a minute stays under the 64 KB body limit): Kestrel
        // aborts bodies slower than 240 bytes/s after a 5 s grace period.
        while (!_released.Task.IsCompleted)
        {
            await stream.WriteAsync(Whitespace);
            await stream.FlushAsync();
            await Task.WhenAny(_released.Task, Task.Delay(250));
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(rest));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
