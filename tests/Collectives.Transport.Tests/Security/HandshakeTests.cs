using System.IO.Pipelines;
using Collectives.Transport.Security;
using Collectives.Transport.Tests.Support;

namespace Collectives.Transport.Tests.Security;

public class HandshakeTests
{
    private static readonly JobCredentials Credentials = JobCredentials.Generate("handshake-tests");

    [Test]
    public async Task A_connector_refuses_a_hello_that_announces_another_purpose()
    {
        var toAcceptor = new Pipe();
        var toConnector = new Pipe();
        await using var acceptorEnd = new DuplexStream(toAcceptor.Reader.AsStream(), toConnector.Writer.AsStream());
        await using var connectorEnd = new DuplexStream(toConnector.Reader.AsStream(), toAcceptor.Writer.AsStream());

        // A rendezvous server's hello reaching a rank that wants a transport connection.
        Task accepting = Handshake.AcceptAsync(acceptorEnd, Credentials, HandshakePurpose.Rendezvous, -1, CancellationToken.None).AsTask();
        var exception = await Assert.ThrowsAsync<ProtocolException>(async () => await Handshake.ConnectAsync(connectorEnd, Credentials, HandshakePurpose.Transport, 1, null, CancellationToken.None));
        await connectorEnd.DisposeAsync();

        Assert.That(exception!.Message, Does.Contain("purpose 2, not 1"));
        Assert.That(async () => await accepting, Throws.TypeOf<ProtocolException>(), "the acceptor sees the connection close before a proof");
    }
}
