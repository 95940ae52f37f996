/**
 * The Geyser service for @grpc/grpc-js, built on the protobuf codecs the Yellowstone client
 * package exports, so no .proto file is loaded.
 *
 * One wrinkle: the napi client re-encodes requests in Rust (prost), which writes a map entry
 * whose value is an empty filter (`blocksMeta: { m: {} }`) as a key with no value field.
 * ts-proto's decoder drops such entries, so a request decoded with it alone loses its
 * blocksMeta and slots filters. Real servers (prost) read the missing value as an empty filter;
 * `decodeSubscribeRequest` does the same.
 */
import {
  SubscribeRequest,
  SubscribeRequestFilterAccounts,
  SubscribeRequestFilterBlocks,
  SubscribeRequestFilterBlocksMeta,
  SubscribeRequestFilterEntry,
  SubscribeRequestFilterSlots,
  SubscribeRequestFilterTransactions,
  SubscribeUpdate,
} from '@triton-one/yellowstone-grpc';
import type * as grpc from '@grpc/grpc-js';

interface Decoder {
  decode(input: Uint8Array): unknown;
}

/** SubscribeRequest map fields by field number (geyser.proto). */
const MAP_FIELDS: Record<number, [keyof SubscribeRequest, Decoder]> = {
  1: ['accounts', SubscribeRequestFilterAccounts],
  2: ['slots', SubscribeRequestFilterSlots],
  3: ['transactions', SubscribeRequestFilterTransactions],
  4: ['blocks', SubscribeRequestFilterBlocks],
  5: ['blocksMeta', SubscribeRequestFilterBlocksMeta],
  8: ['entry', SubscribeRequestFilterEntry],
  10: ['transactionsStatus', SubscribeRequestFilterTransactions],
};

export function decodeSubscribeRequest(bytes: Uint8Array): SubscribeRequest {
  const request = SubscribeRequest.decode(bytes);
  for (const [name] of Object.values(MAP_FIELDS)) (request as any)[name] = {};
  for (const field of readFields(bytes)) {
    const map = MAP_FIELDS[field.no];
    if (!map || !(field.value instanceof Uint8Array)) continue;
    let key = '';
    let value: Uint8Array = new Uint8Array(0);
    for (const f of readFields(field.value)) {
      if (f.no === 1 && f.value instanceof Uint8Array) key = Buffer.from(f.value).toString('utf8');
      if (f.no === 2 && f.value instanceof Uint8Array) value = f.value;
    }
    (request as any)[map[0]][key] = map[1].decode(value);
  }
  return request;
}

/** Top-level fields of a protobuf message: varints as bigint, length-delimited as bytes. */
function* readFields(buf: Uint8Array): Generator<{ no: number; value: bigint | Uint8Array }> {
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= buf.length) throw new Error('truncated varint');
      const b = buf[pos++];
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return result;
      shift += 7n;
    }
  };
  while (pos < buf.length) {
    const tag = Number(varint());
    const no = tag >>> 3;
    switch (tag & 7) {
      case 0:
        yield { no, value: varint() };
        break;
      case 1:
        pos += 8;
        break;
      case 2: {
        const len = Number(varint());
        yield { no, value: buf.subarray(pos, pos + len) };
        pos += len;
        break;
      }
      case 5:
        pos += 4;
        break;
      default:
        throw new Error(`unsupported wire type ${tag & 7}`);
    }
  }
}

/** A Buffer is sent as it is: the way to put an undecodable frame on the wire. */
const encodeUpdate = (m: SubscribeUpdate | Buffer): Buffer =>
  Buffer.isBuffer(m) ? m : Buffer.from(SubscribeUpdate.encode(m).finish());

/** Minimal hand codecs for the unary calls whose messages the package does not export. */
const varintField = (no: number, v: bigint): Buffer => {
  const out = [no << 3];
  let x = v;
  do {
    let b = Number(x & 0x7fn);
    x >>= 7n;
    if (x > 0n) b |= 0x80;
    out.push(b);
  } while (x > 0n);
  return Buffer.from(out);
};
const firstVarint = (buf: Buffer, no: number): bigint | undefined => {
  for (const f of readFields(buf)) if (f.no === no && typeof f.value === 'bigint') return f.value;
  return undefined;
};

export const geyserService: grpc.ServiceDefinition = {
  Subscribe: {
    path: '/geyser.Geyser/Subscribe',
    requestStream: true,
    responseStream: true,
    requestSerialize: (m: SubscribeRequest) => Buffer.from(SubscribeRequest.encode(m).finish()),
    requestDeserialize: (b: Buffer) => decodeSubscribeRequest(b),
    responseSerialize: encodeUpdate,
    responseDeserialize: (b: Buffer) => SubscribeUpdate.decode(b),
  },
  /** PingRequest { int32 count = 1 } → PongResponse { int32 count = 1 }. */
  Ping: unary('Ping', (b) => ({ count: Number(firstVarint(b, 1) ?? 0n) }), (m: { count: number }) => varintField(1, BigInt(m.count))),
  /** GetSlotRequest { commitment = 1 } → GetSlotResponse { uint64 slot = 1 }. */
  GetSlot: unary('GetSlot', (b) => ({ commitment: Number(firstVarint(b, 1) ?? 0n) }), (m: { slot: number }) => varintField(1, BigInt(m.slot))),
  /** SubscribeReplayInfoRequest {} → SubscribeReplayInfoResponse { optional uint64 first_available = 1 }. */
  SubscribeReplayInfo: unary('SubscribeReplayInfo', () => ({}), (m: { firstAvailable: number }) => varintField(1, BigInt(m.firstAvailable))),
};

function unary<Req, Res>(name: string, decode: (b: Buffer) => Req, encode: (m: Res) => Buffer): grpc.MethodDefinition<Req, Res> {
  return {
    path: `/geyser.Geyser/${name}`,
    requestStream: false,
    responseStream: false,
    requestSerialize: () => Buffer.alloc(0),
    requestDeserialize: decode,
    responseSerialize: encode,
    responseDeserialize: () => ({}) as Res,
  };
}
