using Tarpit.Agent;
using Tarpit.Linux;

// Before anything creates a file: the state dir and the event file hold what clients typed (see ProcessUmask).
ProcessUmask.SetPrivate();
return await AgentCli.RunAsync(args);
