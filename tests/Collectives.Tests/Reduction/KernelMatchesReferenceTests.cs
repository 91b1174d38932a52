namespace Collectives.Tests.Reduction;

/// <summary>Every registered kernel, at lengths that exercise its vector body and its remainder, agrees bit for bit with the scalar reference.</summary>
public class KernelMatchesReferenceTests
{
    [TestCaseSource(typeof(KernelCases), nameof(KernelCases.AllWithLengths))]
    public void Result_into_a_separate_buffer_matches_the_scalar_reference(KernelCase kernelCase, int length)
    {
        (byte[] x, byte[] y) = Inputs(kernelCase, length);
        byte[] expected = kernelCase.Reference(x, y);
        var destination = new byte[x.Length];

        kernelCase.Kernel.Apply(x, y, destination);

        Assert.That(kernelCase.Render(destination), Is.EqualTo(kernelCase.Render(expected)));
    }

    [TestCaseSource(typeof(KernelCases), nameof(KernelCases.AllWithLengths))]
    public void Result_in_place_over_the_left_operand_matches_the_scalar_reference(KernelCase kernelCase, int length)
    {
        (byte[] x, byte[] y) = Inputs(kernelCase, length);
        byte[] expected = kernelCase.Reference(x, y);

        kernelCase.Kernel.Apply(x, y, x);

        Assert.That(kernelCase.Render(x), Is.EqualTo(kernelCase.Render(expected)));
    }

    [TestCaseSource(typeof(KernelCases), nameof(KernelCases.AllWithLengths))]
    public void Result_in_place_over_the_right_operand_matches_the_scalar_reference(KernelCase kernelCase, int length)
    {
        (byte[] x, byte[] y) = Inputs(kernelCase, length);
        byte[] expected = kernelCase.Reference(x, y);

        kernelCase.Kernel.Apply(x, y, y);

        Assert.That(kernelCase.Render(y), Is.EqualTo(kernelCase.Render(expected)));
    }

    [TestCaseSource(typeof(KernelCases), nameof(KernelCases.AllWithLengths))]
    public void Swapping_the_operands_gives_the_same_bits(KernelCase kernelCase, int length)
    {
        (byte[] x, byte[] y) = Inputs(kernelCase, length);
        var xThenY = new byte[x.Length];
        var yThenX = new byte[x.Length];

        kernelCase.Kernel.Apply(x, y, xThenY);
        kernelCase.Kernel.Apply(y, x, yThenX);

        Assert.That(kernelCase.Render(yThenX), Is.EqualTo(kernelCase.Render(xThenY)));
    }

    /// <summary>Fixed seeds, so a failure reproduces.</summary>
    private static (byte[] X, byte[] Y) Inputs(KernelCase kernelCase, int length)
    {
        var random = new Random((length * 7919) + ((int)kernelCase.Op * 131) + kernelCase.Type.Code);
        return (kernelCase.RandomElements(length, random), kernelCase.RandomElements(length, random));
    }
}
