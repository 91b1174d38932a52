namespace Collectives.Transport;

/// <summary>
/// Direct access to memory every rank of the job has mapped, for collectives that work in place
/// instead of passing messages (see <see cref="ITransport.GetFeature{TFeature}"/>). Each rank owns
/// a window of bytes and two control slots (0 and 1); by convention a rank writes only its own, and
/// others read them once its slot's sequence word says the data is there.
/// </summary>
/// <remarks>
/// <para>Protocol: a rank fills its window and slot data, then <see cref="Publish"/>es a sequence
/// number in the slot; readers wait (<see cref="WaitForAll"/>) until every rank's slot shows at
/// least that number, then read. The release/acquire pair of Publish and the wait orders the data
/// before the sequence word. Sequence numbers only grow.</para>
/// <para>Knows nothing of reductions or calls: what the bytes mean is the caller's business.</para>
/// <para>Every use of windows, slots and waits must sit between <see cref="BeginAccess"/> and
/// <see cref="EndAccess"/>, so that closing the transport never unmaps memory in use.</para>
/// </remarks>
public interface ISharedMemoryWindows
{
    /// <summary>This rank, in [0, <see cref="Size"/>).</summary>
    int Rank { get; }

    /// <summary>Number of ranks sharing the windows.</summary>
    int Size { get; }

    /// <summary>Bytes in each rank's window (a multiple of 4096).</summary>
    int WindowLength { get; }

    /// <summary>Bytes of data in each control slot, next to its sequence word (at least 56).</summary>
    int SlotDataLength { get; }

    /// <summary>Marks the start of a use of the windows; throws <see cref="ObjectDisposedException"/> once the transport is closed.</summary>
    void BeginAccess();

    /// <summary>Marks the end of a use begun by <see cref="BeginAccess"/>.</summary>
    void EndAccess();

    /// <summary>The window of <paramref name="rank"/>; write only your own.</summary>
    /// <param name="rank">A rank in [0, <see cref="Size"/>).</param>
    /// <returns>The window's bytes.</returns>
    Span<byte> Window(int rank);

    /// <summary>The data bytes of control slot <paramref name="slot"/> of <paramref name="rank"/>; write only your own.</summary>
    /// <param name="rank">A rank in [0, <see cref="Size"/>).</param>
    /// <param name="slot">A control slot: 0 or 1.</param>
    /// <returns>The slot's data bytes.</returns>
    Span<byte> SlotData(int rank, int slot);

    /// <summary>
    /// Publishes <paramref name="sequence"/> in this rank's slot <paramref name="slot"/> (with release
    /// semantics: everything written before is visible to a reader that sees it) and wakes ranks
    /// that sleep waiting for it.
    /// </summary>
    /// <param name="slot">A control slot: 0 or 1.</param>
    /// <param name="sequence">The new sequence number; larger than the slot's current one.</param>
    void Publish(int slot, long sequence);

    /// <summary>
    /// Waits until slot <paramref name="slot"/> of every rank shows at least
    /// <paramref name="sequence"/>, spinning, then yielding, then sleeping (see the transport's
    /// waiting options). Throws <see cref="PeerFailedException"/> when a rank it waits for is gone,
    /// <see cref="PeerAbortedException"/> when the job was aborted, and
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires.
    /// </summary>
    /// <param name="slot">A control slot: 0 or 1.</param>
    /// <param name="sequence">The sequence number to wait for.</param>
    /// <param name="deadline">A <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> value after which the wait gives up.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <param name="laggard">When the deadline passes, a rank that had not published.</param>
    /// <returns>True when every rank published; false when the deadline passed first.</returns>
    bool WaitForAll(int slot, long sequence, long deadline, CancellationToken cancellationToken, out int laggard);

    /// <summary>
    /// Stores <paramref name="value"/> in the 8-byte word at <paramref name="offset"/> of this rank's
    /// window (with release semantics: everything written before is visible to a reader that sees it)
    /// and wakes ranks that sleep in <see cref="WaitForWord"/>.
    /// </summary>
    /// <param name="offset">The word's offset in this rank's window: a multiple of 8, at most <see cref="WindowLength"/> - 8.</param>
    /// <param name="value">The word's new value; waiters wait for it to reach a value, so it should only grow.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> is not the offset of a whole aligned word of the window.</exception>
    void PublishWord(int offset, long value);

    /// <summary>
    /// Waits until the 8-byte word at <paramref name="offset"/> of <paramref name="rank"/>'s window
    /// is at least <paramref name="value"/> (with acquire semantics, pairing with
    /// <see cref="PublishWord"/>): it spins, then yields, then sleeps until a publish wakes it, as
    /// <see cref="WaitForAll"/> does and with the same budgets. Throws
    /// <see cref="PeerFailedException"/> when <paramref name="rank"/> is gone,
    /// <see cref="PeerAbortedException"/> when the job was aborted,
    /// <see cref="ObjectDisposedException"/> when this rank's transport closed, and
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires.
    /// </summary>
    /// <param name="rank">The rank whose word to wait for, in [0, <see cref="Size"/>).</param>
    /// <param name="offset">The word's offset in <paramref name="rank"/>'s window: a multiple of 8, at most <see cref="WindowLength"/> - 8.</param>
    /// <param name="value">The value to wait for.</param>
    /// <param name="deadline">A <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> value after which the wait gives up.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>True when the word reached <paramref name="value"/>; false when the deadline passed first.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rank"/> is not a rank, or <paramref name="offset"/> is not the offset of a whole aligned word of the window.</exception>
    bool WaitForWord(int rank, int offset, long value, long deadline, CancellationToken cancellationToken);
}
