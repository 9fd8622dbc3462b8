using Tarpit.Agent;

return await AgentCli.RunAsync(args);
