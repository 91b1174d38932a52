using System.Diagnostics.CodeAnalysis;

namespace Collectives.Transport.SharedMemory;

/// <summary>The <see cref="ISharedMemoryWindows"/> of a shared-memory transport: the windows and slots of its segment.</summary>
internal sealed unsafe class SharedMemoryWindows(SegmentAttachment attachment) : ISharedMemoryWindows
{
    public int Rank => attachment.Rank;

    public int Size => attachment.Size;

    public int WindowLength => attachment.Layout.WindowLength;

    public int SlotDataLength => SegmentLayout.SlotDataLength;

    public void BeginAccess() => attachment.Enter();

    public void EndAccess() => attachment.Exit();

    public Span<byte> Window(int rank)
    {
        CheckRank(rank);
        return new Span<byte>(attachment.At(attachment.Layout.Window(rank)), attachment.Layout.WindowLength);
    }

    public Span<byte> SlotData(int rank, int slot)
    {
        CheckRank(rank);
        CheckSlot(slot);
        return new Span<byte>(attachment.SlotData(rank, slot), SegmentLayout.SlotDataLength);
    }

    public void Publish(int slot, long sequence)
    {
        CheckSlot(slot);

        // The exchange is the full fence between this write and reading the peers' sleeping flags.
        Interlocked.Exchange(ref *attachment.SlotSequence(attachment.Rank, slot), sequence);
        attachment.WakeAll();
    }

    public bool WaitForAll(int slot, long sequence, long deadline, CancellationToken cancellationToken, out int laggard)
    {
        CheckSlot(slot);
        var all = new AllPublished(slot, sequence);
        bool met = attachment.Wait(ref all, deadline, cancellationToken);
        laggard = met ? -1 : all.Laggard(attachment);
        return met;
    }

    public void PublishWord(int offset, long value)
    {
        long* word = WordAt(attachment.Rank, offset);

        // As in Publish: the exchange is the full fence before reading the peers' sleeping flags.
        Interlocked.Exchange(ref *word, value);
        attachment.WakeAll();
    }

    public bool WaitForWord(int rank, int offset, long value, long deadline, CancellationToken cancellationToken)
    {
        CheckRank(rank);
        var reached = new WordReached(WordAt(rank, offset), rank, value);
        return attachment.Wait(ref reached, deadline, cancellationToken);
    }

    /// <summary>The aligned 8-byte word at <paramref name="offset"/> of <paramref name="rank"/>'s window.</summary>
    private long* WordAt(int rank, int offset)
    {
        if (offset < 0 || offset > attachment.Layout.WindowLength - sizeof(long) || offset % sizeof(long) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"A word's offset must be a multiple of {sizeof(long)} in [0, {attachment.Layout.WindowLength - sizeof(long)}].");
        }

        return (long*)attachment.At(attachment.Layout.Window(rank) + offset);
    }

    // The checks run several times in every step: their throws live apart so that they inline.
    private void CheckRank(int rank)
    {
        if ((uint)rank >= (uint)attachment.Size)
        {
            ThrowRankOutOfRange(rank, attachment.Size);
        }
    }

    private static void CheckSlot(int slot)
    {
        if ((uint)slot >= SegmentLayout.SlotCount)
        {
            ThrowSlotOutOfRange(slot);
        }
    }

    [DoesNotReturn]
    private static void ThrowRankOutOfRange(int rank, int size)
        => throw new ArgumentOutOfRangeException(nameof(rank), rank, $"Rank must be in [0, {size}).");

    [DoesNotReturn]
    private static void ThrowSlotOutOfRange(int slot)
        => throw new ArgumentOutOfRangeException(nameof(slot), slot, $"Slot must be in [0, {SegmentLayout.SlotCount}).");
}
