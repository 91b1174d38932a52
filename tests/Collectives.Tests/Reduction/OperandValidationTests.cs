namespace Collectives.Tests.Reduction;

/// <summary>Every kernel refuses spans it cannot combine element by element, rather than reading or writing past them.</summary>
public class OperandValidationTests
{
    [TestCaseSource(typeof(KernelCases), nameof(KernelCases.AllKernels))]
    public void Inputs_of_different_lengths_are_refused(KernelCase kernelCase)
    {
        int size = kernelCase.Type.Size;

        Assert.That(() => kernelCase.Kernel.Apply(new byte[8 * size], new byte[9 * size], new byte[9 * size]), Throws.ArgumentException);
    }

    [TestCaseSource(typeof(KernelCases), nameof(KernelCases.AllKernels))]
    public void A_destination_shorter_than_the_inputs_is_refused(KernelCase kernelCase)
    {
        int size = kernelCase.Type.Size;

        Assert.That(() => kernelCase.Kernel.Apply(new byte[9 * size], new byte[9 * size], new byte[8 * size]), Throws.ArgumentException);
    }

    [TestCaseSource(typeof(KernelCases), nameof(KernelCases.AllKernels))]
    public void A_destination_overlapping_an_input_one_element_further_on_is_refused(KernelCase kernelCase)
    {
        int size = kernelCase.Type.Size;
        var shared = new byte[40 * size];
        var y = new byte[32 * size];

        Assert.That(() => kernelCase.Kernel.Apply(shared.AsSpan(0, 32 * size), y, shared.AsSpan(size, 32 * size)), Throws.ArgumentException);
    }
}
