using Collectives.Offload.Nic;
using Collectives.Reduction;

namespace Collectives.Offload.Tests.Support;

/// <summary>Every (operation, host element type) the NIC's ALU supports.</summary>
internal static class AluCases
{
    public static IEnumerable<(ReduceOp Op, DataType Type)> All =>
        from op in Enum.GetValues<ReduceOp>()
        from element in Enum.GetValues<ElementType>()
        let type = new DataType(element, op is ReduceOp.MinLoc or ReduceOp.MaxLoc)
        where AluOperations.Supports(op, type)
        select (op, type);

    public static IEnumerable<TestCaseData> Cases => All.Select(c => new TestCaseData(c.Op, c.Type.Element, c.Type.WithIndex));
}
