using DVV.ZkRisk.Api.V1;
using Google.Protobuf;
using Grpc.Core;
using EpochsApi = DVV.ZkRisk.Api.V1.Epochs;

namespace DVV.ZkRisk.Service.Services;

/// <summary>
/// Binds the services to the same methods as the generated BindService, with one difference: a request that is not a
/// well-formed protobuf of its type is INVALID_ARGUMENT "malformed protobuf: ..." (the API's promise; Grpc.AspNetCore
/// would answer UNKNOWN, as for any exception before the handler). Found by Grpc.AspNetCore through
/// [BindServiceMethod] on each service class; the handlers are looked up by method name as for generated code.
/// </summary>
internal static class StrictBinding
{
    // the services' full names as the protos declare them
    private static readonly string Tg = TraderGateway.Descriptor.FullName, Ep = EpochsApi.Descriptor.FullName,
        Ve = Verifier.Descriptor.FullName, Op = Operator.Descriptor.FullName;

    private static Marshaller<T> Wire<T>(MessageParser<T> parser) where T : IMessage<T> => new(
        (message, ctx) =>
        {
            ctx.SetPayloadLength(message.CalculateSize());
            message.WriteTo(ctx.GetBufferWriter());
            ctx.Complete();
        },
        ctx =>
        {
            try { return parser.ParseFrom(ctx.PayloadAsReadOnlySequence()); }
            catch (InvalidProtocolBufferException e)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"malformed protobuf: {typeof(T).Name}: {e.Message}"));
            }
        });

    private static Method<TReq, TResp> M<TReq, TResp>(MethodType type, string service, string name, MessageParser<TReq> req, MessageParser<TResp> resp)
        where TReq : class, IMessage<TReq> where TResp : class, IMessage<TResp> => new(type, service, name, Wire(req), Wire(resp));

    public static void BindTraderGateway(ServiceBinderBase b, TraderGateway.TraderGatewayBase? s)
    {
        b.AddMethod(M(MethodType.Unary, Tg, "GetEpochInfo", GetEpochInfoRequest.Parser, EpochInfo.Parser), s == null ? null : s.GetEpochInfo);
        b.AddMethod(M(MethodType.Unary, Tg, "SubmitPositions", SubmitPositionsRequest.Parser, SubmitPositionsResponse.Parser), s == null ? null : s.SubmitPositions);
        b.AddMethod(M(MethodType.Unary, Tg, "GetReceipt", GetReceiptRequest.Parser, Receipt.Parser), s == null ? null : s.GetReceipt);
        b.AddMethod(M(MethodType.Unary, Tg, "GetMarginNotice", GetMarginNoticeRequest.Parser, MarginNotice.Parser), s == null ? null : s.GetMarginNotice);
    }

    public static void BindEpochs(ServiceBinderBase b, EpochsApi.EpochsBase? s)
    {
        b.AddMethod(M(MethodType.Unary, Ep, "GetEpoch", GetEpochRequest.Parser, EpochBundle.Parser), s == null ? null : s.GetEpoch);
        b.AddMethod(M(MethodType.ServerStreaming, Ep, "GetEpochParts", GetEpochPartsRequest.Parser, EpochBundlePart.Parser), s == null ? null : s.GetEpochParts);
        b.AddMethod(M(MethodType.ServerStreaming, Ep, "WatchEpochs", WatchEpochsRequest.Parser, EpochEvent.Parser), s == null ? null : s.WatchEpochs);
        b.AddMethod(M(MethodType.Unary, Ep, "GetInclusionProof", GetInclusionProofRequest.Parser, InclusionProof.Parser), s == null ? null : s.GetInclusionProof);
        b.AddMethod(M(MethodType.Unary, Ep, "GetAttestation", GetAttestationRequest.Parser, PublishedAttestation.Parser), s == null ? null : s.GetAttestation);
        b.AddMethod(M(MethodType.Unary, Ep, "GetCommittee", GetCommitteeRequest.Parser, CommitteeRegistry.Parser), s == null ? null : s.GetCommittee);
    }

    public static void BindVerifier(ServiceBinderBase b, Verifier.VerifierBase? s) =>
        b.AddMethod(M(MethodType.Unary, Ve, "Attest", AttestRequest.Parser, AttestResponse.Parser), s == null ? null : s.Attest);

    public static void BindOperator(ServiceBinderBase b, Operator.OperatorBase? s) =>
        b.AddMethod(M(MethodType.Unary, Op, "SealEpoch", SealEpochRequest.Parser, SealEpochResponse.Parser), s == null ? null : s.SealEpoch);
}
