// Second-opinion oracle: @noble/curves' ristretto255 (independent JS implementation).
// stdin: {"cases":[{"uniform":hex64,"scalar":hex32,"point":hex32}], "msm":{"scalars":[hex],"points":[hex]}}
// stdout: {"derived":[hex], "products":[hex], "sums":[hex], "msm":hex}
import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';

const { Point } = ristretto255;
const hex = (b) => Buffer.from(b).toString('hex');
const bytes = (h) => Uint8Array.from(Buffer.from(h, 'hex'));
const le = (h) => BigInt('0x' + Buffer.from(h, 'hex').reverse().toString('hex'));

const input = JSON.parse(await new Promise((resolve) => {
  let s = '';
  process.stdin.on('data', (d) => (s += d));
  process.stdin.on('end', () => resolve(s));
}));

const mul = (p, k) => (k === 0n ? Point.ZERO : p.multiply(k));
const out = { derived: [], products: [], sums: [] };
for (const c of input.cases) {
  const d = ristretto255_hasher.deriveToCurve(bytes(c.uniform));
  out.derived.push(hex(d.toBytes()));
  const p = Point.fromHex(c.point);
  out.products.push(hex(mul(p, le(c.scalar)).toBytes()));
  out.sums.push(hex(d.add(p).toBytes()));
}
let acc = Point.ZERO;
input.msm.scalars.forEach((s, i) => { acc = acc.add(mul(Point.fromHex(input.msm.points[i]), le(s))); });
out.msm = hex(acc.toBytes());
process.stdout.write(JSON.stringify(out));
