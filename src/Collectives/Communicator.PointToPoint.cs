using System.Runtime.CompilerServices;
using Collectives.Execution.Pooling;
using Collectives.PointToPoint;
using Collectives.Reduction;
using Collectives.Transport;
using Microsoft.Extensions.Logging;

namespace Collectives;

public sealed partial class Communicator
{
    /// <summary>
    /// Sends <paramref name="data"/> to rank <paramref name="destination"/> with a
    /// <paramref name="tag"/>, for the <see cref="Receive{T}(Span{T}, int, int)"/> there that names
    /// this rank and the tag (MPI_Send). Returns once <paramref name="data"/> may be reused: the
    /// message is buffered or delivered, not necessarily received. As with MPI_Send, a message
    /// larger than the transport buffers (a shared-memory ring, a socket's buffers) waits for the
    /// receiver to take it, so two ranks that both send first may wait on each other: use
    /// <see cref="SendReceive{T}(ReadOnlySpan{T}, int, int, Span{T}, int, int)"/> for exchanges.
    /// </summary>
    /// <remarks>
    /// Point-to-point messages share the ordered streams between ranks with the collectives, and a
    /// collective that meets one sets it aside for the receive that wants it, so a message may be
    /// sent before a collective and received after it. Point-to-point calls are calls like the
    /// collectives: one at a time per communicator, under its timeout, and a failure breaks the
    /// communicator on every rank; a receive whose buffer is too small or of another type is the
    /// exception (see <see cref="Receive{T}(Span{T}, int, int)"/>).
    /// </remarks>
    /// <typeparam name="T">Any element type the collectives take.</typeparam>
    /// <param name="data">The elements to send; may be empty.</param>
    /// <param name="destination">The receiving rank, in [0, <see cref="Size"/>); this rank itself sets the message aside for its own receive.</param>
    /// <param name="tag">A label the receive matches, at least 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="destination"/> is not a rank, or <paramref name="tag"/> is negative.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not supported.</exception>
    /// <exception cref="CollectiveException">The send failed: the destination is gone, or it did not take the message within the timeout.</exception>
    public unsafe void Send<T>(ReadOnlySpan<T> data, int destination, int tag)
        where T : unmanaged
    {
        DataType type = PlanPointToPoint<T>(destination, nameof(destination), tag, nameof(tag));
        fixed (T* pointer = data)
        {
            RunBlocking(CollectiveKind.Send, type, destination, tag, pointer, data.Length * sizeof(T), null, 0);
        }
    }

    /// <summary>Asynchronous form of <see cref="Send{T}(ReadOnlySpan{T}, int, int)"/>.</summary>
    /// <typeparam name="T">Any element type the collectives take.</typeparam>
    /// <param name="data">The elements to send; pinned until the send completes.</param>
    /// <param name="destination">The receiving rank, in [0, <see cref="Size"/>).</param>
    /// <param name="tag">A label the receive matches, at least 0.</param>
    /// <param name="cancellationToken">Cancels the send; cancelling breaks the communicator on every rank.</param>
    /// <returns>Completes when <paramref name="data"/> may be reused.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="destination"/> is not a rank, or <paramref name="tag"/> is negative.</exception>
    public ValueTask SendAsync<T>(ReadOnlyMemory<T> data, int destination, int tag, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        DataType type = PlanPointToPoint<T>(destination, nameof(destination), tag, nameof(tag));
        return SendPinnedAsync(type, data, destination, tag, cancellationToken);
    }

    /// <summary>
    /// Receives the oldest message rank <paramref name="source"/> sent this rank with
    /// <paramref name="tag"/> into the start of <paramref name="buffer"/> and returns how many
    /// elements it held (MPI_Recv). Messages from one source with one tag arrive in the order they
    /// were sent; messages with other tags wait for their own receives.
    /// </summary>
    /// <typeparam name="T">The element type the sender sent.</typeparam>
    /// <param name="buffer">Room for the message: at least as many elements as were sent.</param>
    /// <param name="source">The sending rank, in [0, <see cref="Size"/>).</param>
    /// <param name="tag">The tag the sender gave, at least 0.</param>
    /// <returns>The number of elements received.</returns>
    /// <exception cref="ArgumentException">
    /// The message holds more elements than <paramref name="buffer"/>, or elements of another type.
    /// Nothing is lost and the communicator stays usable: the message waits for a receive that fits.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="source"/> is not a rank, or <paramref name="tag"/> is negative.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="source"/> is this rank and it sent itself no such message.</exception>
    /// <exception cref="CollectiveMismatchException">The source called a collective instead of sending.</exception>
    /// <exception cref="CollectiveTimeoutException">No such message arrived within the timeout.</exception>
    public unsafe int Receive<T>(Span<T> buffer, int source, int tag)
        where T : unmanaged
    {
        DataType type = PlanPointToPoint<T>(source, nameof(source), tag, nameof(tag));
        fixed (T* pointer = buffer)
        {
            return RunBlocking(CollectiveKind.Receive, type, source, tag, null, 0, pointer, buffer.Length * sizeof(T)) / sizeof(T);
        }
    }

    /// <summary>Asynchronous form of <see cref="Receive{T}(Span{T}, int, int)"/>.</summary>
    /// <typeparam name="T">The element type the sender sent.</typeparam>
    /// <param name="buffer">Room for the message; pinned until the receive completes.</param>
    /// <param name="source">The sending rank, in [0, <see cref="Size"/>).</param>
    /// <param name="tag">The tag the sender gave, at least 0.</param>
    /// <param name="cancellationToken">Cancels the receive; cancelling breaks the communicator on every rank.</param>
    /// <returns>The number of elements received.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="source"/> is not a rank, or <paramref name="tag"/> is negative.</exception>
    public ValueTask<int> ReceiveAsync<T>(Memory<T> buffer, int source, int tag, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        DataType type = PlanPointToPoint<T>(source, nameof(source), tag, nameof(tag));
        return ReceivePinnedAsync(type, buffer, source, tag, cancellationToken);
    }

    /// <summary>
    /// Sends to one rank and receives from another (or the same) at once (MPI_Sendrecv): the
    /// exchange of a ring shift or a pipeline stage, which separate blocking sends and receives
    /// could deadlock on when both sides send first.
    /// </summary>
    /// <typeparam name="T">Any element type the collectives take.</typeparam>
    /// <param name="send">The elements to send.</param>
    /// <param name="destination">The rank to send to.</param>
    /// <param name="sendTag">The tag to send with, at least 0.</param>
    /// <param name="receive">Room for the message to receive.</param>
    /// <param name="source">The rank to receive from.</param>
    /// <param name="receiveTag">The tag to receive, at least 0.</param>
    /// <returns>The number of elements received.</returns>
    /// <exception cref="ArgumentException">As <see cref="Receive{T}(Span{T}, int, int)"/>.</exception>
    public unsafe int SendReceive<T>(ReadOnlySpan<T> send, int destination, int sendTag, Span<T> receive, int source, int receiveTag)
        where T : unmanaged
    {
        DataType type = PlanPointToPoint<T>(destination, nameof(destination), sendTag, nameof(sendTag));
        PlanPointToPoint<T>(source, nameof(source), receiveTag, nameof(receiveTag));
        BeginCall();
        try
        {
            fixed (T* sendPointer = send)
            fixed (T* receivePointer = receive)
            {
                Attach(sendPointer, send.Length * sizeof(T), receivePointer, receive.Length * sizeof(T));
                _waiter.Wait(SendReceiveCoreAsync(type, destination, sendTag, source, receiveTag, CancellationToken.None));
                return _pointToPoint.ReceivedLength / sizeof(T);
            }
        }
        finally
        {
            EndCall();
        }
    }

    /// <summary>Asynchronous form of <see cref="SendReceive{T}(ReadOnlySpan{T}, int, int, Span{T}, int, int)"/>.</summary>
    /// <typeparam name="T">Any element type the collectives take.</typeparam>
    /// <param name="send">The elements to send; pinned until the call completes.</param>
    /// <param name="destination">The rank to send to.</param>
    /// <param name="sendTag">The tag to send with, at least 0.</param>
    /// <param name="receive">Room for the message to receive; pinned until the call completes.</param>
    /// <param name="source">The rank to receive from.</param>
    /// <param name="receiveTag">The tag to receive, at least 0.</param>
    /// <param name="cancellationToken">Cancels the call; cancelling breaks the communicator on every rank.</param>
    /// <returns>The number of elements received.</returns>
    public ValueTask<int> SendReceiveAsync<T>(ReadOnlyMemory<T> send, int destination, int sendTag, Memory<T> receive, int source, int receiveTag, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        DataType type = PlanPointToPoint<T>(destination, nameof(destination), sendTag, nameof(sendTag));
        PlanPointToPoint<T>(source, nameof(source), receiveTag, nameof(receiveTag));
        return SendReceivePinnedAsync(type, send, destination, sendTag, receive, source, receiveTag, cancellationToken);
    }

    /// <summary>Validates a point-to-point call's peer and tag; throws before anything is sent.</summary>
    private DataType PlanPointToPoint<T>(int peer, string peerName, int tag, string tagName)
        where T : unmanaged
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        DataType type = DataTypeOf<T>();
        if ((uint)peer >= (uint)Size)
        {
            throw new ArgumentOutOfRangeException(peerName, peer, $"The peer must be a rank in [0, {Size}).");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(tag, tagName);
        return type;
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    private async ValueTask SendPinnedAsync<T>(DataType type, ReadOnlyMemory<T> data, int destination, int tag, CancellationToken cancellationToken)
        where T : unmanaged
    {
        BeginCall();
        try
        {
            using System.Buffers.MemoryHandle pin = data.Pin();
            AttachPinned(pin, data.Length * Unsafe.SizeOf<T>(), default, 0);
            await TransferAsync(CollectiveKind.Send, type, destination, tag, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            EndCall();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReceivePinnedAsync<T>(DataType type, Memory<T> buffer, int source, int tag, CancellationToken cancellationToken)
        where T : unmanaged
    {
        BeginCall();
        try
        {
            using System.Buffers.MemoryHandle pin = buffer.Pin();
            AttachPinned(default, 0, pin, buffer.Length * Unsafe.SizeOf<T>());
            await TransferAsync(CollectiveKind.Receive, type, source, tag, cancellationToken).ConfigureAwait(false);
            return _pointToPoint.ReceivedLength / Unsafe.SizeOf<T>();
        }
        finally
        {
            EndCall();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> SendReceivePinnedAsync<T>(DataType type, ReadOnlyMemory<T> send, int destination, int sendTag, Memory<T> receive, int source, int receiveTag, CancellationToken cancellationToken)
        where T : unmanaged
    {
        BeginCall();
        try
        {
            using System.Buffers.MemoryHandle sendPin = send.Pin();
            using System.Buffers.MemoryHandle receivePin = receive.Pin();
            AttachPinned(sendPin, send.Length * Unsafe.SizeOf<T>(), receivePin, receive.Length * Unsafe.SizeOf<T>());
            await SendReceiveCoreAsync(type, destination, sendTag, source, receiveTag, cancellationToken).ConfigureAwait(false);
            return _pointToPoint.ReceivedLength / Unsafe.SizeOf<T>();
        }
        finally
        {
            EndCall();
        }
    }

    /// <summary>Runs a blocking send or receive on pinned memory; returns the bytes received (0 for a send).</summary>
    private unsafe int RunBlocking(CollectiveKind kind, DataType type, int peer, int tag, void* send, int sendBytes, void* receive, int receiveBytes)
    {
        BeginCall();
        try
        {
            Attach(send, sendBytes, receive, receiveBytes);
            _waiter.Wait(TransferAsync(kind, type, peer, tag, CancellationToken.None));
            return kind == CollectiveKind.Receive ? _pointToPoint.ReceivedLength : 0;
        }
        finally
        {
            EndCall();
        }
    }

    /// <summary>
    /// Sends the attached send buffer (<paramref name="kind"/> Send) or receives into the attached
    /// receive buffer (Receive; the bytes received are then <see cref="PointToPointChannel.ReceivedLength"/>),
    /// under the call timer.
    /// </summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    private async ValueTask TransferAsync(CollectiveKind kind, DataType type, int peer, int tag, CancellationToken cancellationToken)
    {
        CancellationToken callToken = _timer.Arm(_options.Timeout, cancellationToken);
        try
        {
            await (kind == CollectiveKind.Send
                ? _pointToPoint.SendAsync(peer, tag, type, _send.Memory, callToken)
                : _pointToPoint.ReceiveAsync(peer, tag, type, _receive.Memory, callToken)).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            int bytes = kind == CollectiveKind.Send ? _send.Memory.Length : _receive.Memory.Length;
            throw FailPointToPoint(exception, PointToPointSignature(kind, type, bytes, peer, tag), peer, cancellationToken);
        }
        finally
        {
            _timer.Disarm();
        }
    }

    /// <summary>Sends the attached send buffer while receiving into the attached receive buffer; the bytes received are then <see cref="PointToPointChannel.ReceivedLength"/>.</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    private async ValueTask SendReceiveCoreAsync(DataType type, int destination, int sendTag, int source, int receiveTag, CancellationToken cancellationToken)
    {
        CancellationToken callToken = _timer.Arm(_options.Timeout, cancellationToken);
        try
        {
            ValueTask send = _pointToPoint.SendAsync(destination, sendTag, type, _send.Memory, callToken);
            try
            {
                await _pointToPoint.ReceiveAsync(source, receiveTag, type, _receive.Memory, callToken).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                // The send reads the caller's buffer until it completes: let it finish (or the
                // call's timer stop it) before the buffer is let go. The receive's failure is the
                // one to report.
                try
                {
                    await send.ConfigureAwait(false);
                }
                catch (Exception)
                {
                }

                throw FailPointToPoint(exception, PointToPointSignature(CollectiveKind.Receive, type, _receive.Memory.Length, source, receiveTag), source, cancellationToken);
            }

            try
            {
                await send.ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                throw FailPointToPoint(exception, PointToPointSignature(CollectiveKind.Send, type, _send.Memory.Length, destination, sendTag), destination, cancellationToken);
            }
        }
        finally
        {
            _timer.Disarm();
        }
    }

    /// <summary>
    /// A point-to-point call described as a signature, for its exceptions: the peer in the root's
    /// place and the tag in the sequence's, as point-to-point calls are not numbered.
    /// </summary>
    private CollectiveSignature PointToPointSignature(CollectiveKind kind, DataType type, int bytes, int peer, int tag)
        => new((ulong)tag, kind, default, type.Code, bytes / type.Size, peer, 0) { CommunicatorId = _id };

    /// <summary>
    /// Turns what stopped a point-to-point call into the exception this rank throws. A buffer that
    /// cannot take the message (or a receive from itself with nothing sent) is the caller's to
    /// mend, and leaves the communicator as it was; anything else breaks it on every rank, as a
    /// failed collective does.
    /// </summary>
    private Exception FailPointToPoint(Exception exception, CollectiveSignature signature, int peer, CancellationToken cancellationToken)
    {
        if (exception is ArgumentException or InvalidOperationException && exception is not ObjectDisposedException)
        {
            return exception;
        }

        Exception failure = exception switch
        {
            OperationCanceledException when _timer.Fired && !cancellationToken.IsCancellationRequested => new CollectiveTimeoutException(Rank, peer, _options.Timeout, signature),
            UnexpectedCollectiveMessageException collective => new CollectiveMismatchException(
                Rank, signature, peer, CollectiveSignature.FromTag(collective.Tag, out _, out _),
                $"Rank {peer} called a collective while rank {Rank} waited in a point-to-point call for it; point-to-point calls and collectives must be issued in an order that lets each complete."),
            _ => exception,
        };
        failure = BreakOnFailure(exception, failure, signature, cancellationToken);
        _options.Logger.LogWarning(failure, "Rank {Rank} failed in {Signature}.", Rank, signature);
        return failure;
    }
}
