using Collectives.Offload.Building;
using Collectives.Offload.Descriptors;
using Collectives.Offload.Nic;

namespace Collectives.Offload.Tests.Support;

/// <summary>
/// Runs one call on a NIC processor per rank inside one thread: hosts post their descriptors and
/// links carry packets (through the wire format) in a random but seeded interleaving, each link in
/// order, a packet waiting on its link until the receiving NIC accepts it.
/// </summary>
internal static class NicNetwork
{
    public static NetworkOutcome Run(DescriptorBuilder builder, OffloadRequest request, IReadOnlyList<byte[]> inputs, int seed, int depth = NicProcessor.DefaultReceiveQueueDepth)
    {
        int size = builder.Size;
        var random = new Random(seed);
        var nics = new NicProcessor[size];
        var posts = new Queue<Descriptor>[size];
        var results = new byte[size][];
        var errors = new AluErrors[size];
        var links = new Dictionary<(int From, int To), Queue<Descriptor>>();
        var list = new List<Descriptor>();
        var nodeToRank = Enumerable.Range(0, size).ToDictionary(builder.NodeOf);
        for (int rank = 0; rank < size; rank++)
        {
            nics[rank] = new NicProcessor(builder.NodeOf(rank), depth);
            list.Clear();
            builder.Build(rank, request, 0, inputs[rank], list);
            posts[rank] = new Queue<Descriptor>(list);
            results[rank] = new byte[request.Bytes];
        }

        int maxQueued = 0;
        byte[] wire = new byte[Descriptor.EncodedSize];
        while (true)
        {
            var choices = new List<Action>();
            for (int rank = 0; rank < size; rank++)
            {
                int poster = rank;
                if (posts[poster].Count > 0)
                {
                    choices.Add(() => nics[poster].Post(posts[poster].Dequeue()));
                }
            }

            foreach (var ((from, to), link) in links)
            {
                if (link.Count > 0 && nics[to].CanAccept(link.Peek()))
                {
                    choices.Add(() => nics[to].Deliver(link.Dequeue()));
                }
            }

            if (choices.Count == 0)
            {
                break;
            }

            choices[random.Next(choices.Count)]();
            for (int rank = 0; rank < size; rank++)
            {
                maxQueued = Math.Max(maxQueued, nics[rank].LongestLane);
                while (nics[rank].TryTakeOutgoing(out Descriptor packet))
                {
                    packet.Encode(wire);
                    Descriptor received = Descriptor.Decode(wire);
                    var key = (rank, nodeToRank[received.Destination]);
                    if (!links.TryGetValue(key, out Queue<Descriptor>? link))
                    {
                        links[key] = link = new Queue<Descriptor>();
                    }

                    link.Enqueue(received);
                }

                while (nics[rank].TryTakeCompletion(out Descriptor put))
                {
                    DescriptorBuilder.WriteCompletion(request, put, results[rank]);
                    errors[rank] |= put.Errors;
                }
            }
        }

        int stuck = Enumerable.Range(0, size).Count(rank => nics[rank].FiredCount != nics[rank].PostedCount);
        if (stuck > 0 || links.Values.Any(link => link.Count > 0))
        {
            var heads = string.Join("\n", links.Where(l => l.Value.Count > 0).Select(l => $"{l.Key}: {l.Value.Peek()} accept={nics[l.Key.To].CanAccept(l.Value.Peek())} queued={nics[l.Key.To].QueuedPackets}"));
            throw new InvalidOperationException(heads + $"{stuck} NICs still hold unfired descriptors; {links.Values.Sum(l => l.Count)} packets undelivered.");
        }

        return new NetworkOutcome(results, errors, maxQueued);
    }
}

/// <summary>What a <see cref="NicNetwork"/> run left: each rank's completion buffer and error vector, and the longest receive-queue lane seen.</summary>
internal sealed record NetworkOutcome(byte[][] Results, AluErrors[] Errors, int MaxQueued);
