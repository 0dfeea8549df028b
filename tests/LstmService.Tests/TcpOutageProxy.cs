using System.Net;
using System.Net.Sockets;

namespace LstmService.Tests;

/// <summary>
/// A TCP forwarder between the service and its PostgreSQL server that can be cut: <see cref="Cut"/> drops every open
/// connection and closes each new one at once, as a database restart or a network failure does, until
/// <see cref="Restore"/>. Lets a test take the database away from a running service and give it back.
/// </summary>
public sealed class TcpOutageProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _open = [];
    private readonly Task _accepting;
    private volatile bool _cut;

    public TcpOutageProxy(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Cut()
    {
        lock (_open)
        {
            _cut = true;
            foreach (var client in _open) client.Dispose();
            _open.Clear();
        }
    }

    public void Restore() => _cut = false;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try { inbound = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) when (_stop.IsCancellationRequested) { return; }
            if (_cut)
            {
                inbound.Dispose();
                continue;
            }
            _ = ForwardAsync(inbound);
        }
    }

    private async Task ForwardAsync(TcpClient inbound)
    {
        var outbound = new TcpClient();
        try
        {
            // Registered before and after connecting, each time under the lock Cut takes: a cut while this connects drops it too.
            lock (_open)
            {
                if (_cut) return;
                _open.Add(inbound);
            }
            await outbound.ConnectAsync(_targetHost, _targetPort, _stop.Token);
            lock (_open)
            {
                if (_cut) return;
                _open.Add(outbound);
            }
            var a = inbound.GetStream().CopyToAsync(outbound.GetStream(), _stop.Token);
            var b = outbound.GetStream().CopyToAsync(inbound.GetStream(), _stop.Token);
            await Task.WhenAny(a, b);
        }
        catch (Exception) { /* a cut or the end of the test: the connection is gone either way */ }
        finally
        {
            inbound.Dispose();
            outbound.Dispose();
            lock (_open) { _open.Remove(inbound); _open.Remove(outbound); }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        try { await _accepting; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
