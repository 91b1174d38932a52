using System.Diagnostics;
using System.Reflection;

namespace Collectives.Tests.Support;

/// <summary>Guards tests whose claims hold only for optimized (Release) builds.</summary>
internal static class OptimizedBuild
{
    /// <summary>
    /// Ignores the calling test when the library or the tests were built without optimization: a
    /// Debug build compiles async state machines as classes, one allocated per call, so
    /// allocation-free steady state is a property of Release builds only.
    /// </summary>
    public static void RequireForAllocationTests()
    {
        foreach (Assembly assembly in new[] { typeof(Communicator).Assembly, typeof(OptimizedBuild).Assembly })
        {
            if (assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled == true)
            {
                Assert.Ignore($"{assembly.GetName().Name} is a Debug build, where every async call allocates its state machine; run with -c Release.");
            }
        }
    }
}
