using Collectives.Transport.SharedMemory;

namespace Collectives.Transport.Tests.SharedMemory;

/// <summary>
/// A host identity is a host name and the kernel's boot id; the machine is the boot id, which
/// network namespaces and containers of one machine share while their host names differ.
/// </summary>
public class HostIdentityTests
{
    [Test]
    public void Hosts_of_one_kernel_are_one_machine()
        => Assert.That(HostIdentity.MachineOf("node-a/0f9e"), Is.EqualTo(HostIdentity.MachineOf("node-b/0f9e")));

    [Test]
    public void Kernels_with_different_boot_ids_are_different_machines()
        => Assert.That(HostIdentity.MachineOf("node/0f9e"), Is.Not.EqualTo(HostIdentity.MachineOf("node/77aa")));

    [Test]
    public void A_rank_that_cannot_share_memory_is_still_on_its_kernels_machine()
        => Assert.That(HostIdentity.MachineOf("node-a/0f9e/no-shm-rank-3"), Is.EqualTo("0f9e"));

    [Test]
    public void Without_a_boot_id_the_host_name_is_the_machine()
        => Assert.That(HostIdentity.MachineOf("node-a/"), Is.EqualTo("node-a"));

    [Test]
    public void This_process_is_on_the_machine_its_identity_names()
        => Assert.That(HostIdentity.MachineOf(HostIdentity.Current), Is.Not.Empty);
}
