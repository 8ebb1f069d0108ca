// Drives the DVV.ZkRisk service with npm's @grpc/grpc-js + @grpc/proto-loader, loading the .proto files directly.
// Usage: node node_client.mjs ADDRESS PROTOS_DIR CASES_DIR   (cases: SubmitPositionsRequest files from the C# SDK)
// Prints one JSON line per case: {"case", "code", "details", ...}.
import fs from 'node:fs';
import path from 'node:path';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';

const [address, protos, cases] = process.argv.slice(2);
const def = protoLoader.loadSync(['dvv/zkrisk/v1/service.proto', 'dvv/zkrisk/v1/operator.proto', 'grpc/health/v1/health.proto',
  'grpc/reflection/v1alpha/reflection.proto'],
  { includeDirs: [protos], keepCase: true, longs: String, enums: String, defaults: true });
const pkg = grpc.loadPackageDefinition(def);
const gateway = new pkg.dvv.zkrisk.v1.TraderGateway(address, grpc.credentials.createInsecure());
const health = new pkg.grpc.health.v1.Health(address, grpc.credentials.createInsecure());
const epochs = new pkg.dvv.zkrisk.v1.Epochs(address, grpc.credentials.createInsecure());
const generic = new grpc.Client(address, grpc.credentials.createInsecure());
const submitDef = def['dvv.zkrisk.v1.TraderGateway'].SubmitPositions;
const codeName = (c) => Object.keys(grpc.status).find((k) => grpc.status[k] === c);
const deadline = (s) => new Date(Date.now() + s * 1000);

function call(fn) {
  return new Promise((resolve) => fn((err, resp) => resolve(err ? { code: codeName(err.code), details: err.details } : { code: 'OK', resp })));
}
function report(name, r, ok = () => ({})) {
  const out = { case: name, code: r.code };
  if (r.code === 'OK') Object.assign(out, ok(r.resp)); else out.details = r.details;
  console.log(JSON.stringify(out));
}
const raw = (method, buf, secs = 10) => call((cb) => generic.makeUnaryRequest(method, (b) => b, (b) => b, buf, { deadline: deadline(secs) }, cb));
const load = (name) => submitDef.requestDeserialize(fs.readFileSync(path.join(cases, name)));

report('health', await call((cb) => health.Check({ service: '' }, { deadline: deadline(10) }, cb)), (r) => ({ status: r.status }));
report('epoch_info', await call((cb) => gateway.GetEpochInfo({ epoch: 0 }, { deadline: deadline(10) }, cb)),
  (r) => ({ epoch: Number(r.epoch), bands: r.band_grid.band_count, hpke_key_len: r.venue_hpke_public_key.length }));
const valid = load('valid.bin');
report('submit_valid', await call((cb) => gateway.SubmitPositions(valid, { deadline: deadline(30) }, cb)),
  (r) => ({ digest: Buffer.from(r.receipt.submission_digest).toString('hex'), sequence: Number(r.receipt.sequence) }));
report('submit_replay', await call((cb) => gateway.SubmitPositions(valid, { deadline: deadline(30) }, cb)));
report('submit_bad_signature', await call((cb) => gateway.SubmitPositions(load('bad_signature.bin'), { deadline: deadline(30) }, cb)));
report('submit_stale_epoch', await call((cb) => gateway.SubmitPositions(load('stale.bin'), { deadline: deadline(30) }, cb)));
report('submit_malformed', await raw('/dvv.zkrisk.v1.TraderGateway/SubmitPositions', Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01])));
report('submit_oversized', await raw('/dvv.zkrisk.v1.TraderGateway/SubmitPositions', Buffer.concat([Buffer.from([0x0a, 0x80, 0x80, 0x80, 0x03]), Buffer.alloc(6 * 1024 * 1024)]), 30));
report('unknown_epoch', await call((cb) => gateway.GetEpochInfo({ epoch: 424242 }, { deadline: deadline(10) }, cb)));
report('unknown_method', await raw('/dvv.zkrisk.v1.TraderGateway/Withdraw', Buffer.alloc(0)));
// a server stream: the first event of WatchEpochs, then cancel
const first = await new Promise((resolve) => {
  const s = epochs.WatchEpochs({ from_epoch: 0 }, { deadline: deadline(10) });
  s.on('data', (e) => { resolve({ code: 'OK', resp: e }); s.cancel(); });
  s.on('error', (err) => resolve(err.code === grpc.status.CANCELLED ? { code: 'OK', resp: {} } : { code: codeName(err.code), details: err.details }));
});
report('watch_epochs', first, (e) => ({ epoch: Number(e.epoch), status: e.status }));
report('health_after', await call((cb) => health.Check({ service: '' }, { deadline: deadline(10) }, cb)), (r) => ({ status: r.status }));
// every other RPC: each answers with its own status (never UNIMPLEMENTED)
const verifier = new pkg.dvv.zkrisk.v1.Verifier(address, grpc.credentials.createInsecure());
const operator = new pkg.dvv.zkrisk.v1.Operator(address, grpc.credentials.createInsecure());
const digest = fs.readFileSync(path.join(cases, 'valid.digest'), 'utf8').trim();
report('get_receipt', await call((cb) => gateway.GetReceipt({ submission_digest: Buffer.from(digest, 'hex') }, { deadline: deadline(10) }, cb)),
  (r) => ({ digest: Buffer.from(r.submission_digest).toString('hex') }));
report('get_margin_notice', await call((cb) => gateway.GetMarginNotice({}, { deadline: deadline(10) }, cb)));
report('get_epoch', await call((cb) => epochs.GetEpoch({ epoch: 1 }, { deadline: deadline(10) }, cb)));
report('get_inclusion_proof', await call((cb) => epochs.GetInclusionProof({}, { deadline: deadline(10) }, cb)));
report('attest', await call((cb) => verifier.Attest({}, { deadline: deadline(10) }, cb)));
report('operator_seal', await call((cb) => operator.SealEpoch({}, { deadline: deadline(10) }, cb)));
report('get_attestation', await call((cb) => epochs.GetAttestation({}, { deadline: deadline(10) }, cb)));
report('get_committee', await call((cb) => epochs.GetCommittee({}, { deadline: deadline(10) }, cb)));
const parts = await new Promise((resolve) => {
  const got = [];
  const s = epochs.GetEpochParts({ epoch: 1 }, { deadline: deadline(30) });
  s.on('data', (p) => got.push(p));
  s.on('end', () => resolve({ code: 'OK', resp: got }));
  s.on('error', (err) => resolve({ code: codeName(err.code), details: err.details }));
});
report('get_epoch_parts', parts, (ps) => ({ parts: ps.length, total: ps.length ? Number(ps[0].total_bytes) : 0 }));
const reflection = new pkg.grpc.reflection.v1alpha.ServerReflection(address, grpc.credentials.createInsecure());
const listed = await new Promise((resolve) => {
  const s = reflection.ServerReflectionInfo({ deadline: deadline(10) });
  s.on('data', (r) => { resolve({ code: 'OK', resp: r }); s.end(); });
  s.on('error', (err) => resolve({ code: codeName(err.code), details: err.details }));
  s.write({ list_services: '' });
});
report('reflection', listed, (r) => ({ services: r.list_services_response.service.map((x) => x.name).sort() }));
for (const c of [gateway, health, epochs, generic, verifier, operator, reflection]) c.close();
