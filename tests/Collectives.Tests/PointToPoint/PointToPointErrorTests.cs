using Collectives.Tests.Support;
using Collectives.Transport;

namespace Collectives.Tests.PointToPoint;

/// <summary>What a point-to-point call does with a bad argument, a buffer that cannot take the message, a peer that does something else, or silence.</summary>
public class PointToPointErrorTests
{
    [Test]
    public void A_buffer_too_small_for_the_message_is_refused_and_the_message_waits_for_one_that_fits()
    {
        int[] received = new int[4];
        ArgumentException? refusal = null;

        LocalJob.Run(2, null, communicator =>
        {
            if (communicator.Rank == 0)
            {
                communicator.Send<int>([1, 2, 3, 4], destination: 1, tag: 2);
            }
            else
            {
                refusal = Assert.Throws<ArgumentException>(() => communicator.Receive<int>(new int[3], source: 0, tag: 2));
                communicator.Receive<int>(received, source: 0, tag: 2);
            }

            // Still a working communicator on both ranks.
            communicator.Barrier();
        });

        Assert.That(refusal!.ParamName, Is.EqualTo("buffer"));
        Assert.That(refusal.Message, Does.Contain("holds 4 elements but the buffer only 3"));
        Assert.That(received, Is.EqualTo(new[] { 1, 2, 3, 4 }));
    }

    [Test]
    public void A_receive_of_another_element_type_is_refused_and_the_message_waits_for_its_own_type()
    {
        long[] received = new long[2];
        ArgumentException? refusal = null;

        LocalJob.Run(2, null, communicator =>
        {
            if (communicator.Rank == 0)
            {
                communicator.Send<long>([5, 6], destination: 1, tag: 0);
            }
            else
            {
                refusal = Assert.Throws<ArgumentException>(() => communicator.Receive<double>(new double[2], source: 0, tag: 0));
                communicator.Receive<long>(received, source: 0, tag: 0);
            }
        });

        Assert.That(refusal!.Message, Does.Contain("holds Int64 elements, not Float64"));
        Assert.That(received, Is.EqualTo(new long[] { 5, 6 }));
    }

    [Test]
    public void A_SendReceive_whose_receive_buffer_is_too_small_still_delivers_what_it_sent()
    {
        int[] partnerReceived = new int[2];
        ArgumentException? refusal = null;

        LocalJob.Run(2, null, communicator =>
        {
            if (communicator.Rank == 0)
            {
                refusal = Assert.Throws<ArgumentException>(() => communicator.SendReceive<int>([10, 20], 1, 0, new int[1], 1, 0));
            }
            else
            {
                communicator.SendReceive<int>([1, 2], 0, 0, partnerReceived, 0, 0);
            }

            communicator.Barrier();
        });

        Assert.That(refusal, Is.Not.Null);
        Assert.That(partnerReceived, Is.EqualTo(new[] { 10, 20 }));
    }

    [Test]
    public void Receiving_from_itself_what_it_never_sent_is_refused_at_once()
    {
        LocalJob.Run(1, null, communicator =>
        {
            Assert.Throws<InvalidOperationException>(() => communicator.Receive<int>(new int[1], source: 0, tag: 3));
            communicator.Barrier();
        });
    }

    [TestCase(-1)]
    [TestCase(2)]
    public void A_peer_that_is_not_a_rank_is_refused_before_anything_is_sent(int peer)
    {
        LocalJob.Run(2, null, communicator =>
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => communicator.Send<int>([1], peer, tag: 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => communicator.Receive<int>(new int[1], peer, tag: 0));
            communicator.Barrier();
        });
    }

    [Test]
    public void A_negative_tag_is_refused_before_anything_is_sent()
    {
        LocalJob.Run(2, null, communicator =>
        {
            var refusal = Assert.Throws<ArgumentOutOfRangeException>(() => communicator.Send<int>([1], 1 - communicator.Rank, tag: -1));
            Assert.That(refusal!.ParamName, Is.EqualTo("tag"));
            communicator.Barrier();
        });
    }

    [Test]
    public void A_source_that_calls_a_collective_instead_of_sending_is_a_mismatch_naming_both_calls()
    {
        Exception?[] failures = LocalJob.RunCollectingFailures(2, null, communicator =>
        {
            if (communicator.Rank == 0)
            {
                communicator.Receive<int>(new int[1], source: 1, tag: 6);
            }
            else
            {
                communicator.Allreduce<int>(new int[1], ReduceOp.Sum);
            }
        });

        var mismatch = failures[0] as CollectiveMismatchException;
        Assert.That(mismatch, Is.Not.Null, failures[0]?.ToString());
        Assert.That(mismatch!.Local.Kind, Is.EqualTo(CollectiveKind.Receive));
        Assert.That(mismatch.Remote.Kind, Is.EqualTo(CollectiveKind.Allreduce));
        Assert.That(mismatch.Message, Does.Contain("Receive(up to 1 x Int32 from rank 1, tag 6)"));
        Assert.That(failures[1], Is.InstanceOf<CollectiveException>());
    }

    [Test]
    public void A_receive_nobody_answers_times_out_naming_the_silent_source()
    {
        var options = new CommunicatorOptions { Timeout = TimeSpan.FromSeconds(1) };
        Exception?[] failures = LocalJob.RunCollectingFailures(2, options, communicator =>
        {
            if (communicator.Rank == 0)
            {
                communicator.Receive<int>(new int[1], source: 1, tag: 0);
            }
            else
            {
                // Enters the barrier late and is told rank 0 gave up.
                Thread.Sleep(1500);
                communicator.Barrier();
            }
        });

        var timeout = failures[0] as CollectiveTimeoutException;
        Assert.That(timeout, Is.Not.Null, failures[0]?.ToString());
        Assert.That((timeout!.WaitingRank, timeout.SilentRank, timeout.Call.Kind), Is.EqualTo((0, 1, CollectiveKind.Receive)));
        Assert.That(failures[1], Is.InstanceOf<CollectiveException>());
    }
}
