using System.Runtime.CompilerServices;
using Collectives.Execution;
using Collectives.Execution.Pooling;

namespace Collectives.Algorithms;

/// <summary>
/// Runs a message algorithm under <see cref="CallVerification.SignatureExchange"/>: every rank
/// sends every other its signature (or folds it into a first data message, <see cref="SignatureFolds"/>),
/// reads each peer's before that peer's first data, and the rest at the end. Used for a whole
/// communicator's call and for the leaders' phase of a rooted node-aware call alike.
/// </summary>
internal static class SignatureExchange
{
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public static async ValueTask RunAsync(CollectiveContext context, CollectiveCall call, Memory<byte> send, Memory<byte> receive)
    {
        context.StartSignatureExchange();
        if (SignatureFolds.Declare(context, call))
        {
            // This rank only sends folded data: it goes first, the signature messages after it.
            context.DeferSignatures();
            await call.Algorithm.RunAsync(context, call, send, receive).ConfigureAwait(false);
            await context.SendSignaturesAsync().ConfigureAwait(false);
        }
        else
        {
            await context.SendSignaturesAsync().ConfigureAwait(false);
            await call.Algorithm.RunAsync(context, call, send, receive).ConfigureAwait(false);
        }

        await context.ReceiveRemainingSignaturesAsync().ConfigureAwait(false);
    }
}
