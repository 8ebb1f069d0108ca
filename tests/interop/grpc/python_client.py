#!/usr/bin/python3
"""Drives the DVV.ZkRisk service with Debian's python3-grpcio (a gRPC client nobody here wrote).

Messages come from the .proto files: protoc compiles them to a FileDescriptorSet, python3-protobuf builds the
classes from it at run time. Usage:
  python_client.py ADDRESS DESCRIPTOR_SET CASES_DIR
CASES_DIR holds SubmitPositionsRequest files written by the C# SDK: valid.bin, bad_signature.bin, stale.bin.
Prints one JSON line per case: {"case", "code", "details", ...}.
"""
import json
import os
import sys

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

address, descriptor_set, cases = sys.argv[1], sys.argv[2], sys.argv[3]

fds = descriptor_pb2.FileDescriptorSet()
with open(descriptor_set, "rb") as f:
    fds.ParseFromString(f.read())
pool = descriptor_pool.DescriptorPool()
for fd in fds.file:
    pool.Add(fd)


def cls(name):
    d = pool.FindMessageTypeByName(name)
    if hasattr(message_factory, "GetMessageClass"):
        return message_factory.GetMessageClass(d)
    return message_factory.MessageFactory(pool).GetPrototype(d)


GetEpochInfoRequest = cls("dvv.zkrisk.v1.GetEpochInfoRequest")
EpochInfo = cls("dvv.zkrisk.v1.EpochInfo")
SubmitPositionsRequest = cls("dvv.zkrisk.v1.SubmitPositionsRequest")
SubmitPositionsResponse = cls("dvv.zkrisk.v1.SubmitPositionsResponse")
HealthCheckRequest = cls("grpc.health.v1.HealthCheckRequest")
HealthCheckResponse = cls("grpc.health.v1.HealthCheckResponse")
ReflectionRequest = cls("grpc.reflection.v1alpha.ServerReflectionRequest")
ReflectionResponse = cls("grpc.reflection.v1alpha.ServerReflectionResponse")
GetReceiptRequest = cls("dvv.zkrisk.v1.GetReceiptRequest")
Receipt = cls("dvv.zkrisk.v1.Receipt")
EpochBundlePart = cls("dvv.zkrisk.v1.EpochBundlePart")
GetEpochPartsRequest = cls("dvv.zkrisk.v1.GetEpochPartsRequest")
EpochEvent = cls("dvv.zkrisk.v1.EpochEvent")
WatchEpochsRequest = cls("dvv.zkrisk.v1.WatchEpochsRequest")

channel = grpc.insecure_channel(address)
TG = "/dvv.zkrisk.v1.TraderGateway/"


def unary(path, req_cls, resp_cls):
    return channel.unary_unary(path, request_serializer=req_cls.SerializeToString, response_deserializer=resp_cls.FromString)


raw = lambda path: channel.unary_unary(path, request_serializer=lambda b: b, response_deserializer=lambda b: b)


def report(case, fn, **extra):
    out = {"case": case}
    try:
        resp = fn()
        out["code"] = "OK"
        out.update(extra.get("ok", lambda r: {})(resp))
    except grpc.RpcError as e:
        out["code"] = e.code().name
        out["details"] = e.details()
    print(json.dumps(out), flush=True)


def load(name):
    with open(os.path.join(cases, name), "rb") as f:
        return f.read()


check = unary("/grpc.health.v1.Health/Check", HealthCheckRequest, HealthCheckResponse)
get_info = unary(TG + "GetEpochInfo", GetEpochInfoRequest, EpochInfo)
submit = unary(TG + "SubmitPositions", SubmitPositionsRequest, SubmitPositionsResponse)

report("health", lambda: check(HealthCheckRequest(), timeout=10), ok=lambda r: {"status": r.status})
report("epoch_info", lambda: get_info(GetEpochInfoRequest(), timeout=10),
       ok=lambda r: {"epoch": r.epoch, "bands": r.band_grid.band_count, "hpke_key_len": len(r.venue_hpke_public_key)})
valid = SubmitPositionsRequest.FromString(load("valid.bin"))
valid_digest = load("valid.digest").decode().strip()
report("submit_valid", lambda: submit(valid, timeout=30),
       ok=lambda r: {"digest": r.receipt.submission_digest.hex(), "sequence": r.receipt.sequence})
report("submit_replay", lambda: submit(valid, timeout=30))
report("submit_bad_signature", lambda: submit(SubmitPositionsRequest.FromString(load("bad_signature.bin")), timeout=30))
report("submit_stale_epoch", lambda: submit(SubmitPositionsRequest.FromString(load("stale.bin")), timeout=30))
report("submit_malformed", lambda: raw(TG + "SubmitPositions")(b"\x0a\xff\xff\xff\xff\x0f\x01", timeout=10))
report("submit_oversized", lambda: raw(TG + "SubmitPositions")(b"\x0a" + b"\x80\x80\x80\x03" + bytes(6 * 1024 * 1024), timeout=30))
report("unknown_epoch", lambda: get_info(GetEpochInfoRequest(epoch=424242), timeout=10))
report("unknown_method", lambda: raw(TG + "Withdraw")(b"", timeout=10))
report("health_after", lambda: check(HealthCheckRequest(), timeout=10), ok=lambda r: {"status": r.status})

# every other RPC of the API: each answers with its own status (never UNIMPLEMENTED)
get_receipt = unary(TG + "GetReceipt", GetReceiptRequest, Receipt)
report("get_receipt", lambda: get_receipt(GetReceiptRequest(submission_digest=bytes.fromhex(valid_digest)), timeout=10),
       ok=lambda r: {"digest": r.submission_digest.hex()})
for case, path in [("get_margin_notice", TG + "GetMarginNotice"), ("get_epoch", "/dvv.zkrisk.v1.Epochs/GetEpoch"),
                   ("get_inclusion_proof", "/dvv.zkrisk.v1.Epochs/GetInclusionProof"), ("attest", "/dvv.zkrisk.v1.Verifier/Attest"),
                   ("operator_seal", "/dvv.zkrisk.v1.Operator/SealEpoch"), ("get_attestation", "/dvv.zkrisk.v1.Epochs/GetAttestation"),
                   ("get_committee", "/dvv.zkrisk.v1.Epochs/GetCommittee")]:
    report(case, lambda path=path: raw(path)(b"", timeout=10))
parts = channel.unary_stream("/dvv.zkrisk.v1.Epochs/GetEpochParts", request_serializer=GetEpochPartsRequest.SerializeToString,
                             response_deserializer=EpochBundlePart.FromString)
report("get_epoch_parts", lambda: list(parts(GetEpochPartsRequest(epoch=1), timeout=30)),
       ok=lambda ps: {"parts": len(ps), "total": ps[0].total_bytes if ps else 0})
watch = channel.unary_stream("/dvv.zkrisk.v1.Epochs/WatchEpochs", request_serializer=WatchEpochsRequest.SerializeToString,
                             response_deserializer=EpochEvent.FromString)
report("watch_epochs", lambda: next(iter(watch(WatchEpochsRequest(from_epoch=1), timeout=10))), ok=lambda e: {"epoch": e.epoch})
reflect = channel.stream_stream("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
                                request_serializer=ReflectionRequest.SerializeToString, response_deserializer=ReflectionResponse.FromString)
report("reflection", lambda: next(iter(reflect(iter([ReflectionRequest(list_services="")]), timeout=10))),
       ok=lambda r: {"services": sorted(s.name for s in r.list_services_response.service)})
