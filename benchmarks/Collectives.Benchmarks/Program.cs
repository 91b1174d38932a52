using BenchmarkDotNet.Running;
using Collectives.Benchmarks;

// Pick benchmarks on the command line, e.g.:
//   dotnet run -c Release --project benchmarks/Collectives.Benchmarks -- --filter '*ReductionKernelBenchmarks*' --job short
BenchmarkSwitcher.FromAssembly(typeof(ReductionKernelBenchmarks).Assembly).Run(args);
