using Stepwise.Cli;

return StepwiseCli.Run(args, Console.In, Console.Out, Console.Error);
