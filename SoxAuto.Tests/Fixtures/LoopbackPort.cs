using System.Net;
using System.Net.Sockets;

namespace SoxAuto.Tests.Fixtures;

/// <summary>A loopback port for a server a test starts later (node, a child web app, PostgreSQL), which must be
/// named before it binds. A port the kernel hands out for port 0 can be handed out again, to another parallel test's
/// Kestrel or to an outgoing connection, in the moment between our probe closing and the server binding; so ports
/// come from below the kernel's ephemeral range, which it never hands out, and never twice from this process.</summary>
public static class LoopbackPort
{
    private const int Lowest = 20_000;
    private static int _handedOut = Random.Shared.Next(0, 4_000);

    public static int Free()
    {
        var span = EphemeralRangeStart() - Lowest;
        for (var tries = 0; tries < 1_000; tries++)
        {
            var port = Lowest + (int)((uint)Interlocked.Increment(ref _handedOut) % (uint)span);
            if (Bindable(port)) return port;
        }
        throw new InvalidOperationException($"No free loopback port from {Lowest} up to {Lowest + span}.");
    }

    private static bool Bindable(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Where the kernel starts handing out ports for port 0 and outgoing connections (32768 unless set).</summary>
    private static int EphemeralRangeStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            return Math.Max(int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture), Lowest + 1_000);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return 32_768;
        }
    }
}
