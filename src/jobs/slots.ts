/** A requested range (slots, or wall-clock times) resolved to slots against the chain. */
import { RpcError } from '../sources/rpc/errors.js';
import type { RpcClient } from '../sources/rpc/client.js';
import { chainBounds, timeRangeToSlots } from '../sources/slot-time.js';
import type { Commitment } from '../sources/types.js';
import { JobError } from './errors.js';

export type RangeRequest = { kind: 'slots'; start: number; end: number } | { kind: 'time'; startMs: number; endMs: number };

export async function resolveSlots(client: RpcClient, spec: RangeRequest, commitment: Commitment, rangeText: string): Promise<{ start: number; end: number }> {
  try {
    if (spec.kind === 'slots') {
      const { tip } = await chainBounds(client, { commitment });
      if (spec.start > tip) throw new JobError('input', `range starts at slot ${spec.start}, after the ${commitment} tip ${tip}`);
      if (spec.end > tip) throw new JobError('input', `range ends at slot ${spec.end}, after the ${commitment} tip ${tip}; use ${spec.start}..${tip}`);
      return { start: spec.start, end: spec.end };
    }
    const r = await timeRangeToSlots(client, spec.startMs, spec.endMs, { commitment });
    if (!r) throw new JobError('input', `empty range '${rangeText}': no blocks in that time span`);
    return { start: r.start, end: r.end };
  } catch (err) {
    if (err instanceof RpcError) throw new Error(`could not resolve the range against ${client.endpoint}: ${err.message}`);
    throw err;
  }
}
