using System.Runtime.InteropServices;
using Collectives.Transport;

namespace Collectives.Algorithms.SharedMemory;

/// <summary>
/// The flag protocol: calls in which a rank waits only for its parent in a tree, never for every
/// rank, so the root returns as soon as its data is out (see <see cref="SharedMemoryTreeBroadcast"/>).
/// </summary>
/// <remarks>
/// <para>Flag calls are numbered apart from steps, alike on every rank, and use the buffers of
/// each rank's <see cref="FlagArea"/> in turn. A parent fills its buffer, then writes the call's
/// number in the buffer's flag word (release); a child waits for that number, reads, and writes it
/// in its acknowledgement word. Before a rank fills a buffer again (<see cref="FlagArea.Buffers"/>
/// flag calls later) it waits until the children that read it last have acknowledged that call; so
/// a root runs at most that many flag calls ahead of its children, and waits only when a child is
/// that far behind.</para>
/// <para>Verification. A child compares, before it reads the payload, its parent's signature of
/// this call and of the previous flag call with its own. The children of a tree connect every rank
/// to the root, so when every rank builds the same tree a disagreement about this call is found in
/// it. When ranks disagree about the root (or one made no flag call), some rank may return without
/// having read from anyone, with its own data: that disagreement is found later, at the latest by
/// the next call that uses the windows: by the next flag call, in which every child compares its
/// parent's previous signature with its own, or by the next step call, whose first step compares
/// every rank's last flag signature (<see cref="VerifyFlagRecords"/>). Only a disagreement in the
/// communicator's last call goes unreported. The caught rank throws
/// <see cref="CollectiveMismatchException"/> naming both ranks and aborts the job, as for steps.</para>
/// </remarks>
internal sealed partial class SharedMemoryContext
{
    private readonly FlagArea _flags;

    // The flag calls made, the current one's number and buffer, and the signature of the last one.
    private long _flagCalls;
    private long _flagCall;
    private int _buffer;
    private MessageTag _lastFlagSignature;

    // Per buffer: the flag call that last filled it, and the tree whose children read it then.
    private readonly long[] _bufferFilledBy;
    private readonly FanOutTree[] _bufferReaders;

    /// <summary>Bytes a flag call can pass from a parent to its children.</summary>
    public int FlagPayloadLength => _flags.PayloadLength;

    /// <summary>Starts a flag call in the current call: numbers it and picks its buffer. Pair with <see cref="EndFlagCall"/>.</summary>
    public void BeginFlagCall()
    {
        _flagCall = ++_flagCalls;
        _buffer = (int)(_flagCall % _flags.Buffers);
    }

    /// <summary>
    /// Waits until <paramref name="parent"/> has filled its buffer for this flag call, checks its
    /// signatures against this rank's, and returns its payload (read it before <see cref="Acknowledge"/>).
    /// </summary>
    public ReadOnlySpan<byte> AwaitParent(int parent)
    {
        WaitForWord(parent, _flags.Flag(_buffer), _flagCall);
        Span<byte> window = _windows.Window(parent);
        if (_verify)
        {
            MessageTag theirs = MessageTag.ReadFrom(window[_flags.Signature(_buffer)..]);
            if (theirs != Signature.ToTag(0, 0))
            {
                throw new CollectiveMismatchException(Named(Rank), Signature, Named(parent), CollectiveSignature.FromTag(theirs, out _, out _));
            }

            CheckLastFlagCall(parent, window[_flags.PreviousSignature(_buffer)..]);
        }

        return window.Slice(_flags.Payload(_buffer), _flags.PayloadLength);
    }

    /// <summary>Tells the parent this rank has read its buffer, which it may then fill again.</summary>
    public void Acknowledge() => PublishWord(_flags.Acknowledgement, _flagCall);

    /// <summary>
    /// Waits until the ranks that read this rank's buffer the last time it was filled have
    /// acknowledged, and returns its payload for this call's children in <paramref name="tree"/>.
    /// </summary>
    public Span<byte> ClaimBuffer(FanOutTree tree)
    {
        FanOutTree readers = _bufferReaders[_buffer];
        for (int index = 0; index < readers.ChildCount(Rank); index++)
        {
            WaitForWord(readers.Child(Rank, index), _flags.Acknowledgement, _bufferFilledBy[_buffer]);
        }

        _bufferReaders[_buffer] = tree;
        _bufferFilledBy[_buffer] = _flagCall;
        return _windows.Window(Rank).Slice(_flags.Payload(_buffer), _flags.PayloadLength);
    }

    /// <summary>Signs this rank's buffer with the call's signatures and raises its flag for the children.</summary>
    public void PublishBuffer()
    {
        Span<byte> window = _windows.Window(Rank);
        Signature.ToTag(0, 0).WriteTo(window[_flags.Signature(_buffer)..]);
        _lastFlagSignature.WriteTo(window[_flags.PreviousSignature(_buffer)..]);
        PublishWord(_flags.Flag(_buffer), _flagCall);
    }

    /// <summary>Ends the flag call: its signature becomes the one the next calls check as the previous.</summary>
    public void EndFlagCall() => _lastFlagSignature = Signature.ToTag(0, 0);

    /// <summary>Bytes 32 of <paramref name="rank"/>'s record for control slot <paramref name="slot"/>.</summary>
    private Span<byte> FlagRecord(int rank, int slot) => _windows.Window(rank).Slice(_flags.Record(slot), MessageTag.SizeInBytes);

    /// <summary>
    /// At the first step of a call: every rank has ended its flag calls before it, so their last
    /// signatures must agree; one that differs is a disagreement no flag call caught.
    /// </summary>
    private void VerifyFlagRecords()
    {
        for (int rank = 0; rank < Size; rank++)
        {
            CheckLastFlagCall(rank, FlagRecord(rank, _slot));
        }
    }

    /// <summary>Throws <see cref="CollectiveMismatchException"/> unless <paramref name="rank"/>'s last flag call before this one, signed in <paramref name="signature"/>, is this rank's.</summary>
    private void CheckLastFlagCall(int rank, ReadOnlySpan<byte> signature)
    {
        MessageTag theirs = MessageTag.ReadFrom(signature);
        if (theirs != _lastFlagSignature)
        {
            throw new CollectiveMismatchException(
                Named(Rank),
                CollectiveSignature.FromTag(_lastFlagSignature, out _, out _),
                Named(rank),
                CollectiveSignature.FromTag(theirs, out _, out _),
                $"Found by {Signature}: their last flag calls before it differ (#0 is none), and a flag call may return on some rank before it hears from the others.");
        }
    }

    /// <summary>The 8-byte word at <paramref name="offset"/> of <paramref name="rank"/>'s window.</summary>
    private ref long Word(int rank, int offset) => ref MemoryMarshal.AsRef<long>(_windows.Window(rank).Slice(offset, sizeof(long)));
}
