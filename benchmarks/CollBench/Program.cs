using Collectives.CollBench;

// Every rank runs the same command line (collrun passes it to all of them); only rank 0 prints.
return await BenchCommand.RunAsync(args).ConfigureAwait(false);
