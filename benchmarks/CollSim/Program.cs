using Collectives.CollSim;

return await SimCommand.RunAsync(args).ConfigureAwait(false);
