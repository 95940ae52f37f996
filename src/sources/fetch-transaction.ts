/** One transaction by signature, as `decode --rpc` needs it. */
import type { RawTransaction } from '../core/decode/rawtx.js';
import { RpcClient } from './rpc/client.js';

export async function fetchTransaction(url: string, signature: string): Promise<RawTransaction> {
  const client = new RpcClient({ url, concurrency: 1 });
  const tx = await client.call<RawTransaction | null>('getTransaction', [
    signature,
    { encoding: 'json', maxSupportedTransactionVersion: 1, commitment: 'confirmed' },
  ]);
  if (!tx) throw new Error('transaction not found');
  return tx;
}
