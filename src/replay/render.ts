/**
 * Blocks as the replay server sends them (getBlock answers, blockSubscribe notifications), as
 * bytes. A block of full transactions is written straight into one buffer sized for it, its
 * envelope (the JSON-RPC answer or the notification frame) included: the transactions come
 * from bytes serialised once per recording (Chain.txBytes), so a block of thousands costs a
 * copy, not a serialisation, a Buffer.concat or an object per transaction. Other detail levels
 * are rare and small, and go through JSON.stringify. Both give JSON.stringify's text.
 */
import { accountKeys, type Block, type BlockHeader, type BlockTx, type Chain, type TxBytes } from './chain.js';
import { versionAbove } from './block.js';

/**
 * JSON bytes waiting for their envelope: `prefix`, the JSON, `suffix`, in one buffer, a big one
 * from `take` (a BufferPool's: give it back once sent).
 */
export type Rendered = (prefix: string, suffix: string, take?: (size: number) => Buffer) => Buffer;

/** Real nodes refuse to return a versioned transaction to a client that did not opt in. */
export function versionError(tx: BlockTx, max: unknown): string | null {
  const v = versionAbove(tx, limitOf(max));
  return v === null ? null : tooNewMessage(v);
}

function tooNewMessage(version: number): string {
  return `Transaction version (${version}) is not supported by the requesting client. Please try the request again with the following configuration parameter: "maxSupportedTransactionVersion": ${version}`;
}

/** getBlock's result for a produced slot: the error a node gives, or the block. */
export function blockAnswer(chain: Chain, slot: number, cfg: any): { tooNew: string } | { render: Rendered } {
  const txs = chain.txBytes(slot, null)!;
  const tooNew = newestAbove(txs, cfg.maxSupportedTransactionVersion);
  if (tooNew !== null) return { tooNew: tooNewMessage(tooNew) };
  return { render: (prefix, suffix, take) => blockBytes(chain, slot, cfg, null, txs, prefix, suffix, take) };
}

/**
 * A blockNotification's result for a produced slot (context, block or null, err), or null when a
 * filtered subscription has nothing in this block (nodes send nothing then).
 */
export function subscriptionBlock(chain: Chain, slot: number, cfg: any, mentions: string | null): Rendered | null {
  const txs = chain.txBytes(slot, mentions)!;
  if (mentions !== null && txs.count === 0) return null;
  const head = `{"context":{"slot":${slot}},"value":{"slot":${slot},"block":`;
  const tooNew = newestAbove(txs, cfg.maxSupportedTransactionVersion);
  if (tooNew !== null) return (prefix, suffix) => Buffer.from(`${prefix}${head}null,"err":${JSON.stringify(tooNewMessage(tooNew))}}}${suffix}`);
  // The same rendering as getBlock under its own option name.
  const blockCfg = { ...cfg, rewards: cfg.showRewards !== false };
  return (prefix, suffix, take) => blockBytes(chain, slot, blockCfg, mentions, txs, prefix + head, `,"err":null}}${suffix}`, take);
}

function newestAbove(txs: TxBytes, max: unknown): number | null {
  return txs.versionAbove(limitOf(max));
}

const limitOf = (max: unknown): number => (typeof max === 'number' ? max : -1);

/** `prefix`, the block as renderBlock gives it in JSON, `suffix`. */
function blockBytes(chain: Chain, slot: number, cfg: any, mentions: string | null, txs: TxBytes, prefix: string, suffix: string, take: (size: number) => Buffer = Buffer.allocUnsafe): Buffer {
  const details = cfg.transactionDetails ?? 'full';
  if (details !== 'full') {
    const block = chain.blocks.get(slot)!;
    const kept = mentions === null ? block : { ...block, transactions: block.transactions.filter((t) => accountKeys(t).includes(mentions)) };
    return Buffer.from(prefix + JSON.stringify(renderBlock(kept, cfg)) + suffix);
  }
  // JSON.stringify's key order: the header's (slot left out), transactions, then rewards.
  const { slot: _slot, ...header } = chain.header(slot)! as BlockHeader;
  const before = `${prefix}${JSON.stringify(header).slice(0, -1)},"transactions":[`;
  const after = `]${cfg.rewards !== false ? ',"rewards":[]' : ''}}${suffix}`;
  const out = take(Buffer.byteLength(before) + txs.maxBytes + Buffer.byteLength(after));
  let at = out.write(before, 0);
  at = txs.write(out, at);
  at += out.write(after, at);
  return out.subarray(0, at);
}

/** A block as getBlock returns it for the given detail level and rewards option. */
function renderBlock(block: Block, cfg: any): object {
  const { slot: _slot, transactions, ...header } = block;
  const details = cfg.transactionDetails ?? 'full';
  const out: any = { ...header };
  if (details === 'full') out.transactions = transactions;
  else if (details === 'signatures') out.signatures = transactions.map((t) => t.transaction.signatures[0]);
  else if (details === 'accounts') out.transactions = transactions.map((t) => ({ transaction: { signatures: t.transaction.signatures }, meta: t.meta, version: t.version }));
  if (cfg.rewards !== false) out.rewards = [];
  return out;
}
