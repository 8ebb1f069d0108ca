// Independent peer: dalek bulletproofs 4.0 compiled to WASM (npm @aptos-labs/confidential-asset-wasm-bindings
// 0.0.2, range-proofs/). Transcript label "AptosConfidentialAsset/BulletproofRangeProof", generators
// BulletproofGens::new(64, 16) (so n <= 64, m <= 16), Pedersen bases given per call (we pass dalek's B and
// B_blinding), blindings are 32 bytes reduced with Scalar::from_bytes_mod_order.
//
// Reads ONE JSON request on stdin, writes ONE JSON reply on stdout. u64 values may be JSON numbers or decimal
// strings (use strings above 2^53). Hex is lower-case, no prefix.
//   {"op":"prove","bits":N,"values":[..],"blindings":[hex32,..]}         -> {"proof":hex,"commitments":[hex,..]}
//   {"op":"verify","bits":N,"proof":hex,"commitments":[hex,..]}          -> {"ok":bool[,"error":msg]}
//   {"op":"batch","items":[<prove|verify request>,..]}                   -> {"results":[<reply>,..]}
//   {"op":"bench","bits":64,"m":[1,2,4,8,16],"iterations":K[,"warmup":W]
//        [,"values":[..],"blindings":[..]]                                 (the first m of them are used for m)
//        [,"singles":[64,1024],"singleDistinct":16][,"globalWarmup":3]}
//     -> {"bits":64,"iterations":K,"results":[{"m":1,"prove_ms":{median,min,max},"verify_ms":{..},"proof_bytes":..}|
//                                          {"m":32,"unsupported":"..."}],
//         "singles":[{"count":64,"distinct":16,"total_ms":{..}}]}
//     prove is timed on exactly the given values/blindings; verify on the proof just made; "singles" times
//     verifying `count` single-value proofs one after another (cycling over `distinct` different proofs).
//   {"op":"selftest"} -> checks the golden fixture (accepted with its n, rejected with n=16).
// Failures of a request (bad hex, dalek error) are reported as {"error":msg}; a WASM trap inside one batch
// item is reported for that item and a fresh WASM instance is used for the rest.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
// Resolved through the package's own exports map (fails loudly when npm install has not run).
const esmUrl = new URL(import.meta.resolve('@aptos-labs/confidential-asset-wasm-bindings/range-proofs'));
const wasmBytes = readFileSync(new URL('aptos_rp_wasm_bg.wasm', esmUrl));

export const LABEL = 'AptosConfidentialAsset/BulletproofRangeProof';
export const B_HEX = 'e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76';
export const B_BLINDING_HEX = '8c9240b456a9e6dc65c377a1048d745f94a08cdb7f44cbcd7b46f34048871134';
const MAX_BITS = 64, MAX_PARTIES = 16;

let rp; // the bound module
let generation = 0;
async function loadWasm() {
  // A fresh module instance (query string) gives a fresh WASM instance, e.g. after a trap.
  const mod = await import(esmUrl.href + (generation++ === 0 ? '' : `?instance=${generation}`));
  mod.initSync({ module: wasmBytes });
  rp = mod;
}

const B = hexBytes(B_HEX, 32, 'val_base');
const B_BLINDING = hexBytes(B_BLINDING_HEX, 32, 'rand_base');

function hexBytes(h, len, what) {
  if (typeof h !== 'string' || !/^([0-9a-fA-F]{2})*$/.test(h)) throw new Error(`${what}: not a hex string`);
  const b = Uint8Array.from(Buffer.from(h, 'hex'));
  if (len !== undefined && b.length !== len) throw new Error(`${what}: expected ${len} bytes, got ${b.length}`);
  return b;
}
const toHex = (b) => Buffer.from(b).toString('hex');
function u64(v, what) {
  let x;
  if (typeof v === 'number') { if (!Number.isSafeInteger(v)) throw new Error(`${what}: unsafe integer, pass a string`); x = BigInt(v); }
  else if (typeof v === 'string' && /^[0-9]+$/.test(v)) x = BigInt(v);
  else throw new Error(`${what}: not a u64`);
  if (x < 0n || x >= 1n << 64n) throw new Error(`${what}: out of u64 range`);
  return x;
}
function checkBits(bits) {
  if (!Number.isInteger(bits) || bits < 0) throw new Error('bits: not a non-negative integer');
  return bits;
}

function prove(req) {
  const bits = checkBits(req.bits);
  if (!Array.isArray(req.values) || !Array.isArray(req.blindings) || req.values.length !== req.blindings.length)
    throw new Error('values and blindings must be arrays of equal length');
  const v = BigUint64Array.from(req.values.map((x, i) => u64(x, `values[${i}]`)));
  const rs = req.blindings.map((h, i) => hexBytes(h, 32, `blindings[${i}]`));
  const res = rp.batch_range_proof(v, rs, B, B_BLINDING, bits);
  try {
    return { proof: toHex(res.proof()), commitments: res.comms().map(toHex) };
  } finally { res.free(); }
}

function verify(req) {
  const bits = checkBits(req.bits);
  if (!Array.isArray(req.commitments)) throw new Error('commitments must be an array');
  const proof = hexBytes(req.proof, undefined, 'proof');
  // dalek's CompressedRistretto::from_slice panics on a length other than 32: refuse those here.
  const comms = req.commitments.map((h, i) => hexBytes(h, 32, `commitments[${i}]`));
  try {
    return { ok: rp.batch_verify_proof(proof, comms, B, B_BLINDING, bits) };
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) throw e;
    return { ok: false, error: String(e?.message ?? e) }; // dalek refused (e.g. malformed proof bytes)
  }
}

async function one(req) {
  try {
    switch (req?.op) {
      case 'prove': return prove(req);
      case 'verify': return verify(req);
      default: return { error: `unknown op in batch item: ${req?.op}` };
    }
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) { await loadWasm(); return { error: `wasm trap: ${e.message}` }; }
    return { error: String(e?.message ?? e) };
  }
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median: round(median), min: round(s[0]), max: round(s[s.length - 1]), n: s.length };
};
const round = (x) => Math.round(x * 1e4) / 1e4;
const ms = (t0, t1) => Number(t1 - t0) / 1e6;

// Deterministic default inputs (splitmix64), used when the request gives none.
function defaultInputs(count, bits) {
  let s = 0x9e3779b97f4a7c15n;
  const next = () => { s = (s + 0x9e3779b97f4a7c15n) & ((1n << 64n) - 1n); let z = s; z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & ((1n << 64n) - 1n); z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & ((1n << 64n) - 1n); return z ^ (z >> 31n); };
  const mask = bits === 64 ? (1n << 64n) - 1n : (1n << BigInt(bits)) - 1n;
  const values = [], blindings = [];
  for (let i = 0; i < count; i++) {
    values.push((next() & mask).toString());
    const b = Buffer.alloc(32);
    for (let j = 0; j < 4; j++) b.writeBigUInt64LE(next(), 8 * j);
    b[31] &= 0x0f; // below 2^252: canonical, the same scalar on both sides whatever the reduction
    blindings.push(b.toString('hex'));
  }
  return { values, blindings };
}

function bench(req) {
  const bits = checkBits(req.bits ?? 64);
  const ms_ = req.m ?? [1, 2, 4, 8, 16];
  const iterations = req.iterations ?? 10, warmup = req.warmup ?? 1;
  const maxM = Math.max(...ms_, 1);
  const inputs = req.values ? { values: req.values, blindings: req.blindings } : defaultInputs(maxM, bits);
  // Global warm-up (V8 tiers hot WASM functions up from Liftoff to TurboFan): a few m=1 proofs and verifications.
  {
    const w = defaultInputs(1, bits);
    let made;
    for (let i = 0; i < (req.globalWarmup ?? 3); i++) made = prove({ bits, values: w.values, blindings: w.blindings });
    for (let i = 0; i < 3 * (req.globalWarmup ?? 3); i++) verify({ bits, proof: made.proof, commitments: made.commitments });
  }
  const results = [];
  for (const m of ms_) {
    if (m > MAX_PARTIES || bits > MAX_BITS) { results.push({ m, unsupported: `the npm package builds BulletproofGens::new(${MAX_BITS}, ${MAX_PARTIES}), so m <= ${MAX_PARTIES}` }); continue; }
    if (inputs.values.length < m) throw new Error(`bench: ${inputs.values.length} values given, m=${m} needs more`);
    const preq = { bits, values: inputs.values.slice(0, m), blindings: inputs.blindings.slice(0, m) };
    let made;
    for (let i = 0; i < warmup; i++) made = prove(preq);
    const pt = [];
    for (let i = 0; i < iterations; i++) { const t0 = process.hrtime.bigint(); made = prove(preq); pt.push(ms(t0, process.hrtime.bigint())); }
    const vreq = { bits, proof: made.proof, commitments: made.commitments };
    for (let i = 0; i < warmup; i++) if (!verify(vreq).ok) throw new Error(`bench: dalek rejected its own proof (m=${m})`);
    const vt = [];
    for (let i = 0; i < iterations; i++) {
      const t0 = process.hrtime.bigint(); const r = verify(vreq); const t1 = process.hrtime.bigint();
      if (!r.ok) throw new Error(`bench: dalek rejected its own proof (m=${m})`);
      vt.push(ms(t0, t1));
    }
    results.push({ m, prove_ms: stats(pt), verify_ms: stats(vt), proof_bytes: made.proof.length / 2 });
  }
  const singles = [];
  for (const count of req.singles ?? []) {
    const distinct = Math.min(count, req.singleDistinct ?? 16);
    const inp = req.values && req.values.length >= distinct ? { values: req.values, blindings: req.blindings } : defaultInputs(distinct, bits);
    const proofs = [];
    for (let i = 0; i < distinct; i++) proofs.push({ bits, ...prove({ bits, values: [inp.values[i]], blindings: [inp.blindings[i]] }) });
    verify(proofs[0]);
    const reps = req.singleRepeats ?? (count >= 512 ? 1 : 3);
    const tt = [];
    for (let r = 0; r < reps; r++) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < count; i++) if (!verify(proofs[i % distinct]).ok) throw new Error('bench: dalek rejected its own single proof');
      tt.push(ms(t0, process.hrtime.bigint()));
    }
    singles.push({ count, distinct, total_ms: stats(tt) });
  }
  return { bits, iterations, warmup, node: process.version, results, singles };
}

function selftest() {
  const fx = JSON.parse(readFileSync(path.join(here, '..', '..', 'fixtures', 'dalek-batch-range-proof-golden.json'), 'utf8'));
  if (fx.val_base_hex !== B_HEX || fx.rand_base_hex !== B_BLINDING_HEX) throw new Error('fixture bases differ from dalek B/B_blinding');
  const base = { proof: fx.proof_hex, commitments: fx.commitments_hex };
  const accepted = verify({ ...base, bits: fx.n_bits }).ok;
  const rejected16 = !verify({ ...base, bits: 16 }).ok;
  return { fixture_verifies: accepted, fixture_rejected_with_16: rejected16, ok: accepted && rejected16 };
}

async function main() {
  const text = await new Promise((resolve, reject) => {
    let s = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (d) => (s += d));
    process.stdin.on('end', () => resolve(s));
    process.stdin.on('error', reject);
  });
  const req = JSON.parse(text);
  await loadWasm();
  let out;
  switch (req.op) {
    case 'prove': out = prove(req); break;
    case 'verify': out = verify(req); break;
    case 'batch': out = { results: [] }; for (const item of req.items) out.results.push(await one(item)); break;
    case 'bench': out = bench(req); break;
    case 'selftest': out = selftest(); break;
    default: throw new Error(`unknown op: ${req.op}`);
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e) => { process.stderr.write(String(e?.stack ?? e) + '\n'); process.exit(2); });
