using System.Net;
using System.Net.Sockets;

namespace Phase4.Backend.Http;

/// <summary>
/// Who a request comes from, for the per-address limits: the connection's address after the forwarded-headers
/// middleware, which replaces it with the <c>X-Forwarded-For</c> entry only when the connection comes from a trusted
/// proxy (<c>ForwardedHeaders:KnownProxies</c>, <c>KnownNetworks</c>). IPv4 addresses count one by one; an IPv6
/// address counts by its /64, the block one subscriber usually holds, so rotating addresses within it gains nothing.
/// </summary>
public static class ClientAddress
{
    public static string KeyOf(HttpContext http) => KeyOf(http.Connection.RemoteIpAddress);

    public static string KeyOf(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }
}
