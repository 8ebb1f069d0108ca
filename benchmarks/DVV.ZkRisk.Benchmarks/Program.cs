using BenchmarkDotNet.Running;

// Run: dotnet run -c Release --project benchmarks/DVV.ZkRisk.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
