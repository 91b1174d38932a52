using Collectives.SubCommunicators;

namespace Collectives.Tests.SubCommunicators;

/// <summary>The identities of communicators that share ranks differ, and never equal the job's own.</summary>
public class CommunicatorIdentityTests
{
    [Test]
    public void Communicators_made_by_different_calls_colors_or_parents_differ()
    {
        uint[] identities =
        [
            CommunicatorIdentity.Derive(CommunicatorIdentity.World, sequence: 1, color: 0),
            CommunicatorIdentity.Derive(CommunicatorIdentity.World, sequence: 2, color: 0),
            CommunicatorIdentity.Derive(CommunicatorIdentity.World, sequence: 1, color: 1),
            CommunicatorIdentity.Derive(parent: 12345, sequence: 1, color: 0),
        ];

        Assert.That(identities, Is.Unique.And.No.Member(CommunicatorIdentity.World));
    }

}
