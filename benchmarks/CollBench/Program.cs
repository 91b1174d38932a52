using Collectives.CollBench;

// Every rank runs the same command line (collrun passes it to all of them); only rank 0 prints.
// collrun forwards everything after the program, so "collrun -n 2 collbench -- allreduce" hands
// us a leading "--" that would otherwise make System.CommandLine read every option as an argument.
string[] arguments = args is ["--", .. var rest] ? rest : args;
return await BenchCommand.RunAsync(arguments).ConfigureAwait(false);
