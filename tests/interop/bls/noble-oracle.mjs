// Independent BLS12-381 oracle for the C# tests: @noble/curves (min-pk: G1 public keys, G2 signatures), ciphersuite
// BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_. Reads one JSON request per line on stdin, writes one JSON answer per
// line on stdout: {"ok":true,...} or {"ok":false,"error":"..."}. Hex strings without 0x.
import { createInterface } from 'node:readline';
import { bls12_381 as bls } from '@noble/curves/bls12-381.js';

const SIG_DST = 'BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_';
const POP_DST = 'BLS_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_';
const ls = bls.longSignatures;
const G1 = bls.G1.Point, G2 = bls.G2.Point;

const hex = (b) => Buffer.from(b).toString('hex');
const bytes = (h) => Uint8Array.from(Buffer.from(h, 'hex'));
const pkHex = (p) => p.toHex(true);
const sigHex = (p) => p.toHex(true);

// Points are decoded with noble's own checks only (on curve, subgroup, flags); nothing is added here.
const pkFrom = (h) => G1.fromHex(h);
const sigFrom = (h) => G2.fromHex(h);

const ops = {
  keygen: () => {
    const { secretKey, publicKey } = ls.keygen();
    return { sk: hex(secretKey), pk: pkHex(publicKey), pop: sigHex(ls.sign(ls.hash(publicKey.toBytes(true), POP_DST), secretKey)) };
  },
  skToPk: ({ sk }) => ({ pk: pkHex(ls.getPublicKey(bytes(sk))) }),
  sign: ({ sk, msg }) => ({ sig: sigHex(ls.sign(ls.hash(bytes(msg), SIG_DST), bytes(sk))) }),
  verify: ({ pk, msg, sig }) => ({ valid: ls.verify(sigFrom(sig), ls.hash(bytes(msg), SIG_DST), pkFrom(pk)) }),
  popProve: ({ sk }) => {
    const pk = ls.getPublicKey(bytes(sk));
    return { pop: sigHex(ls.sign(ls.hash(pk.toBytes(true), POP_DST), bytes(sk))) };
  },
  popVerify: ({ pk, pop }) => {
    const p = pkFrom(pk);
    return { valid: ls.verify(sigFrom(pop), ls.hash(p.toBytes(true), POP_DST), p) };
  },
  aggregateSigs: ({ sigs }) => ({ sig: sigHex(ls.aggregateSignatures(sigs.map(sigFrom))) }),
  aggregatePks: ({ pks }) => ({ pk: pkHex(ls.aggregatePublicKeys(pks.map(pkFrom))) }),
  fastAggregateVerify: ({ pks, msg, sig }) => {
    const agg = ls.aggregatePublicKeys(pks.map(pkFrom));
    return { valid: ls.verify(sigFrom(sig), ls.hash(bytes(msg), SIG_DST), agg) };
  },
  aggregateVerify: ({ pks, msgs, sig }) => ({
    valid: ls.verifyBatch(sigFrom(sig), pks.map((pk, i) => ({ message: ls.hash(bytes(msgs[i]), SIG_DST), publicKey: pkFrom(pk) }))),
  }),
  decodeG1: ({ hex: h }) => { G1.fromHex(h); return {}; },
  decodeG2: ({ hex: h }) => { G2.fromHex(h); return {}; },
  hashToG2: ({ msg, dst }) => ({ point: G2.fromAffine(bls.G2.hashToCurve(bytes(msg), { DST: dst }).toAffine()).toHex(true) }),
  pairingGenerators: () => ({ gt: hex(bls.fields.Fp12.toBytes(bls.pairing(G1.BASE, G2.BASE))) }),
  generators: () => ({ g1: G1.BASE.toHex(true), g2: G2.BASE.toHex(true) }),
};

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', (line) => {
  if (!line.trim()) return;
  let out;
  try {
    const req = JSON.parse(line);
    const f = ops[req.op];
    if (!f) throw new Error('unknown op ' + req.op);
    out = { ok: true, ...f(req) };
  } catch (e) {
    out = { ok: false, error: String(e && e.message ? e.message : e) };
  }
  process.stdout.write(JSON.stringify(out) + '\n');
});
