// Times @noble/curves BLS12-381 on the inputs the C# benchmark used (JSON on stdin) and prints the median
// nanoseconds per operation as JSON: {"medianNs": {"G1Mul": ns, ...}}. Names match the C# benchmark methods.
// Optional arguments name the operations to time (default: all); the C# side times one operation right before
// its own measurement of it, so both run under the same machine load.
import { bls12_381 as bls } from '@noble/curves/bls12-381.js';

const SIG_DST = 'BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_';
const ls = bls.longSignatures;
const G1 = bls.G1.Point, G2 = bls.G2.Point;
const bytes = (h) => Uint8Array.from(Buffer.from(h, 'hex'));

let input = '';
for await (const chunk of process.stdin) input += chunk;
const inp = JSON.parse(input);
const k = BigInt('0x' + inp.scalar);
const p1 = G1.fromHex(inp.pk);            // not the base point: no precomputed tables
const q2 = G2.fromHex(inp.sig);
const msg = bytes(inp.msg);
const pkBytes = bytes(inp.pk), sigBytes = bytes(inp.sig), aggSigBytes = bytes(inp.aggSig);
const pks100 = inp.pks100.map((h) => G1.fromHex(h));

function median(name, f, minIters, minMs) {
  for (let i = 0; i < 3; i++) f();                    // warm-up (JIT)
  const times = [];
  const start = performance.now();
  while (times.length < minIters || performance.now() - start < minMs) {
    const t0 = performance.now(); f(); times.push(performance.now() - t0);
    if (times.length >= 2000) break;
  }
  times.sort((a, b) => a - b);
  return Math.round(times[times.length >> 1] * 1e6);
}

const bench = {
  G1Mul: () => p1.multiply(k),
  G2Mul: () => q2.multiply(k),
  HashToG2: () => ls.hash(msg, SIG_DST),
  Pairing: () => bls.pairing(p1, q2),
  Verify: () => ls.verify(sigBytes, ls.hash(msg, SIG_DST), pkBytes),
  FastAggregateVerify100: () => ls.verify(aggSigBytes, ls.hash(msg, SIG_DST), ls.aggregatePublicKeys(pks100)),
};
const wanted = process.argv.length > 2 ? process.argv.slice(2) : Object.keys(bench);
const out = {};
for (const name of wanted) {
  if (!bench[name]) throw new Error('unknown operation ' + name);
  out[name] = median(name, bench[name], 10, 1000);
}
if (!ls.verify(sigBytes, ls.hash(msg, SIG_DST), pkBytes)) throw new Error('noble: benchmark signature does not verify');
if (!ls.verify(aggSigBytes, ls.hash(msg, SIG_DST), ls.aggregatePublicKeys(pks100))) throw new Error('noble: benchmark aggregate does not verify');
console.log(JSON.stringify({ node: process.version, noble: '@noble/curves 2.0.1', medianNs: out }));
