namespace Collectives.Transport.SharedMemory;

/// <summary>
/// Windows of a segment some of the job's ranks share (one host's, or a sub-communicator's),
/// whose failures name the job's ranks: the segment numbers its ranks by their place in it, and a
/// <see cref="PeerFailedException"/> or <see cref="PeerAbortedException"/> with that number would
/// tell a user about the wrong process. Everything else passes through; a wait's laggard stays in
/// the segment's numbering, for the caller that knows its own ranks.
/// </summary>
/// <param name="windows">The segment's windows.</param>
/// <param name="jobRanks">For each rank of the segment, index = its place, the job's rank it is.</param>
internal sealed class JobRankedWindows(ISharedMemoryWindows windows, int[] jobRanks) : ISharedMemoryWindows
{
    /// <inheritdoc />
    public int Rank => windows.Rank;

    /// <inheritdoc />
    public int Size => windows.Size;

    /// <inheritdoc />
    public int WindowLength => windows.WindowLength;

    /// <inheritdoc />
    public int SlotDataLength => windows.SlotDataLength;

    /// <inheritdoc />
    public void BeginAccess() => windows.BeginAccess();

    /// <inheritdoc />
    public void EndAccess() => windows.EndAccess();

    /// <inheritdoc />
    public Span<byte> Window(int rank) => windows.Window(rank);

    /// <inheritdoc />
    public Span<byte> SlotData(int rank, int slot) => windows.SlotData(rank, slot);

    /// <inheritdoc />
    public void Publish(int slot, long sequence) => windows.Publish(slot, sequence);

    /// <inheritdoc />
    public void PublishWord(int offset, long value) => windows.PublishWord(offset, value);

    /// <inheritdoc />
    public bool WaitForAll(int slot, long sequence, long deadline, CancellationToken cancellationToken, out int laggard)
    {
        try
        {
            return windows.WaitForAll(slot, sequence, deadline, cancellationToken, out laggard);
        }
        catch (Exception failure) when (JobRankNaming.InJobRanks(failure, jobRanks) is { } named)
        {
            throw named;
        }
    }

    /// <inheritdoc />
    public bool WaitForWord(int rank, int offset, long value, long deadline, CancellationToken cancellationToken)
    {
        try
        {
            return windows.WaitForWord(rank, offset, value, deadline, cancellationToken);
        }
        catch (Exception failure) when (JobRankNaming.InJobRanks(failure, jobRanks) is { } named)
        {
            throw named;
        }
    }
}
