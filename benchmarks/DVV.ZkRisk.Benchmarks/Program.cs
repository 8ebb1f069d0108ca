using BenchmarkDotNet.Running;
using DVV.ZkRisk.Benchmarks.Crypto;

// Run: dotnet run -c Release --project benchmarks/DVV.ZkRisk.Benchmarks -- --filter '*'
// Range proofs beside dalek WASM: ... -- --filter '*RangeProof*'   (the dalek table follows the BenchmarkDotNet run;
// DVV_BENCH_NO_DALEK=1 skips it). Quick Stopwatch comparison without BenchmarkDotNet: ... -- dalek-compare [--m 1,2,4] [--iterations 5] [--singles 64,1024] [--threads 1]
// Where the time goes in one proof: ... -- rp-profile [--m 1] [--threads 1]; verifier table widths: ... -- rp-sweep [--large];
// batch / one-by-one, interleaved: ... -- rp-batch-ratio [--count 64] [--threads 1]; large MSMs: ... -- msm-scale [--n 1048576] [--threads 1,2]
// DVV_BENCH_THREADS=1 limits the BenchmarkDotNet range-proof and MSM benchmarks to one core.
if (args.Length > 0 && args[0] == "msm-scale") return MsmScale.Run(args[1..]);
if (args.Length > 0 && args[0] == "rp-batch-ratio") return BatchRatio.Run(args[1..]);
if (args.Length > 0 && args[0] == "rp-sweep") return VerifierTableSweep.Run(args[1..]);
if (args.Length > 0 && args[0] == "rp-profile") return ProverProfile.Run(args[1..]);
if (args.Length > 0 && args[0] == "dalek-compare") return DalekWasmComparison.QuickCompare(args[1..]);
var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
DalekWasmComparison.AfterBenchmarkDotNet(summaries);
return 0;
