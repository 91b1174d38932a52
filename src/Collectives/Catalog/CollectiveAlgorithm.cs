using Collectives.Algorithms.NodeAware;
using Collectives.Algorithms.SharedMemory;
using Collectives.Execution;

namespace Collectives.Catalog;

/// <summary>Runs a message algorithm on a call's buffers (already pinned; <paramref name="send"/> may be <paramref name="receive"/>).</summary>
internal delegate ValueTask MessageRun(CollectiveContext context, CollectiveCall call, Memory<byte> send, Memory<byte> receive);

/// <summary>Runs a shared-memory window algorithm on a call's buffers, on the caller's thread.</summary>
internal delegate void WindowRun(SharedMemoryContext context, in CollectiveCall call, ReadOnlySpan<byte> send, Span<byte> receive);

/// <summary>
/// One row of <see cref="AlgorithmCatalog"/>: an algorithm of one collective, the name selection
/// strings, metrics and collbench know it by, its execution model, and how to run it. Made through
/// <see cref="OfMessages"/>, <see cref="InWindows"/> or <see cref="Offloaded"/>, which pair each
/// model with its runner.
/// </summary>
/// <param name="collective">The collective.</param>
/// <param name="value">The value of the collective's public algorithm enum.</param>
/// <param name="name">The lowercase name.</param>
/// <param name="model">How it moves data.</param>
/// <param name="messageRun">The runner of a message algorithm.</param>
/// <param name="windowRun">The runner of a window algorithm.</param>
/// <param name="selfVerification">Whether a message algorithm's own messages verify the call.</param>
/// <param name="needsEvenHosts">Whether a node-aware algorithm needs every host to run as many ranks.</param>
internal sealed class CollectiveAlgorithm(
    CollectiveKind collective, byte value, string name, ExecutionModel model, MessageRun? messageRun, WindowRun? windowRun, SelfVerification selfVerification, bool needsEvenHosts = false)
{
    /// <summary>
    /// The most ranks a call verifies by <see cref="CallVerification.SignatureExchange"/>; larger
    /// communicators run a dissemination round, whose messages grow with log2 p rather than p.
    /// </summary>
    public const int SignatureExchangeMaxRanks = 8;

    /// <summary>The name of every offload row: the engine, whatever it is, runs the call.</summary>
    public const string OffloadName = "offload";

    /// <summary>What selection strings may also call an offload row: the engine collrun's <c>--transport nic</c> starts.</summary>
    public const string OffloadAlias = "nic";

    /// <summary>The collective.</summary>
    public CollectiveKind Collective => collective;

    /// <summary>The value of the collective's public algorithm enum (never Auto); call signatures carry it.</summary>
    public byte Value => value;

    /// <summary>The lowercase name used in selection strings, metrics tags, collbench and the docs.</summary>
    public string Name => name;

    /// <summary>How the algorithm moves data.</summary>
    public ExecutionModel Model => model;

    /// <summary>Whether the (node-aware) algorithm needs every host to run as many of the communicator's ranks.</summary>
    public bool NeedsEvenHosts => needsEvenHosts;

    public static CollectiveAlgorithm OfMessages(CollectiveKind collective, byte value, string name, MessageRun run, SelfVerification selfVerification)
        => new(collective, value, name, ExecutionModel.Messages, run, null, selfVerification);

    public static CollectiveAlgorithm InWindows(CollectiveKind collective, byte value, string name, WindowRun run)
        => new(collective, value, name, ExecutionModel.Windows, null, run, SelfVerification.Never);

    public static CollectiveAlgorithm NodeAware(CollectiveKind collective, byte value, string name, MessageRun run, SelfVerification selfVerification, bool needsEvenHosts = false)
        => new(collective, value, name, ExecutionModel.NodeAware, run, null, selfVerification, needsEvenHosts);

    public static CollectiveAlgorithm Offloaded(CollectiveKind collective, byte value)
        => new(collective, value, OffloadName, ExecutionModel.Offload, null, null, SelfVerification.Never);

    /// <summary>Whether a selection string may call this row <paramref name="name"/> (lowercase).</summary>
    public bool IsCalled(string name) => name == Name || (Model == ExecutionModel.Offload && name == OffloadAlias);

    /// <summary>Runs a message algorithm (node-aware ones too).</summary>
    public ValueTask RunAsync(CollectiveContext context, CollectiveCall call, Memory<byte> send, Memory<byte> receive)
        => messageRun!(context, call, send, receive);

    /// <summary>Runs a window algorithm.</summary>
    public void Run(SharedMemoryContext context, in CollectiveCall call, ReadOnlySpan<byte> send, Span<byte> receive)
        => windowRun!(context, call, send, receive);

    /// <summary>
    /// How a call of <paramref name="count"/> elements of <paramref name="elementSize"/> bytes on
    /// <paramref name="size"/> ranks (on <paramref name="hosts"/> hosts) is verified when
    /// <paramref name="verifyCalls"/> asks for it. On a communicator whose ranks share one
    /// segment (<paramref name="oneSegment"/>) every call steps in them first (a window algorithm at its first step, a message
    /// algorithm in a step of its own): a rank that picked a window algorithm and one that picked
    /// messages then meet there and see the mismatch instead of waiting for each other.
    /// </summary>
    public CallVerification VerificationFor(int count, int elementSize, int size, int hosts, bool verifyCalls, bool oneSegment) => Model switch
    {
        _ when !verifyCalls => CallVerification.Off,
        ExecutionModel.Messages when size == 1 => CallVerification.Off,
        ExecutionModel.Messages when oneSegment => CallVerification.WindowStep,
        ExecutionModel.Messages or ExecutionModel.NodeAware when VerifiesItself(count, elementSize, size, hosts) => CallVerification.ByAlgorithm,

        // Up to a few ranks, p - 1 signed messages each way cost less than ceil(log2 p) rounds in
        // front of the data.
        ExecutionModel.Messages when size <= SignatureExchangeMaxRanks => CallVerification.SignatureExchange,
        ExecutionModel.Messages => CallVerification.DisseminationRound,

        // A node-aware algorithm's phases read the streams through group contexts, which know
        // nothing of a signature waiting ahead of their data; a barrier by host leaders first costs
        // ceil(log2 hosts) rounds between hosts, where a flat dissemination round costs ceil(log2 p).
        // (An allreduce by leaders of no element, an allreduce by slices shorter than the ranks.)
        ExecutionModel.NodeAware => CallVerification.HostLeadersBarrier,

        // A window algorithm compares signatures at its first step; an offload engine checks every
        // packet against the call it was given.
        _ => CallVerification.ByAlgorithm,
    };

    /// <inheritdoc />
    public override string ToString() => $"{AlgorithmCatalog.NameOf(Collective)}:{Name}";

    private bool VerifiesItself(int count, int elementSize, int size, int hosts) => selfVerification switch
    {
        SelfVerification.Always or SelfVerification.WhenVerified => true,
        SelfVerification.WhenNoChunkIsEmpty => count >= size,

        // With at least one element, each leader's sum depends on every rank of its host and each
        // rank's result on its leader's, whatever algorithms the host phases run; so the leaders'
        // algorithm decides, exactly as the phase among them will pick it.
        SelfVerification.WhenLeadersVerify => count > 0
            && NodePhase.MessageAlgorithm(collective, (long)count * elementSize, hosts).VerifiesItself(count, elementSize, hosts, 1),
        _ => false,
    };
}
