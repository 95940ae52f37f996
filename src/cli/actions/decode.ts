/** `solflow decode`: the trades in recorded transactions (or one fetched by signature). */
import { sideText } from '../../format/side.js';
import { existsSync } from 'node:fs';
import { decodeTransaction } from '../../core/decode/index.js';
import { tradeToJson, type Trade } from '../../core/trade.js';
import { readRecorded, type RecordedItem } from '../../sources/recorded.js';
import { fetchTransactions } from '../../sources/address.js';
import { resolveEndpoint } from '../../sources/endpoint.js';
import { RpcClient } from '../../sources/rpc/client.js';
import { EXIT, UsageError } from '../errors.js';
import { formatAmount, isoTime, makeTable, mintLabel, plural, shortKey } from '../format.js';
import { redactText } from '../../util/redact.js';
import { loadLabels } from '../labels-option.js';
import { SIGNATURE_TEXT } from '../options.js';

export interface DecodeOpts {
  json?: boolean;
  rpc?: string;
  labels?: string;
}

/** A signature, unless a file of that name exists. */
const isSignature = (input: string): boolean => SIGNATURE_TEXT.test(input) && !existsSync(input);

/** Inputs in the order given; each run of consecutive paths is read, of signatures fetched, as one batch. */
async function* items(inputs: string[], opts: DecodeOpts): AsyncGenerator<RecordedItem> {
  let client: RpcClient | null = null;
  try {
    for (let k = 0; k < inputs.length; ) {
      const signatures = isSignature(inputs[k]);
      const run: string[] = [];
      while (k < inputs.length && isSignature(inputs[k]) === signatures) run.push(inputs[k++]);
      if (!signatures) {
        yield* readRecorded(run);
        continue;
      }
      client ??= new RpcClient({ url: endpointFor(opts.rpc, run[0]), concurrency: 4 });
      const infos = run.map((signature) => ({ signature, slot: 0, blockTime: null }));
      for await (const out of fetchTransactions(client, infos, { commitment: 'confirmed' })) {
        yield out.kind === 'tx'
          ? { kind: 'tx', tx: out.tx.tx, origin: out.info.signature }
          : { kind: 'error', origin: out.info.signature, message: redactText(out.error) };
      }
    }
  } finally {
    client?.close();
  }
}

/** `--rpc URL|moniker`, else the environment; decode never falls back to public mainnet silently. */
function endpointFor(flag: string | undefined, signature: string): string {
  let resolved;
  try {
    resolved = resolveEndpoint(flag);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (resolved.from === 'default') {
    throw new UsageError(`'${signature}' looks like a signature: pass --rpc URL (or SOLFLOW_RPC_URL) to fetch it`);
  }
  return resolved.url;
}

export async function runDecode(inputs: string[], opts: DecodeOpts): Promise<number> {
  const labels = await loadLabels(opts.labels);
  let failed = 0;
  let txCount = 0;
  const trades: Trade[] = [];
  for await (const item of items(inputs, opts)) {
    if (item.kind === 'error') {
      failed++;
      process.stderr.write(`${item.origin}: ${item.message}\n`);
      continue;
    }
    txCount++;
    let found: Trade[];
    try {
      found = decodeTransaction(item.tx, { labels });
    } catch (err) {
      failed++;
      process.stderr.write(`${item.origin}: malformed transaction: ${(err as Error).message}\n`);
      continue;
    }
    if (opts.json) {
      for (const t of found) process.stdout.write(JSON.stringify(tradeToJson(t)) + '\n');
    } else {
      trades.push(...found);
    }
  }
  // Nothing read at all (a missing file, say): the errors above are the whole answer, not an
  // empty table and a summary of nothing as well.
  if (!opts.json && txCount > 0) {
    if (trades.length > 0) printTradeTable(trades);
    process.stderr.write(`${plural(txCount, 'transaction')}, ${plural(trades.length, 'trade')}${failed ? `, ${failed} failed` : ''}\n`);
  }
  return failed > 0 ? EXIT.partial : EXIT.ok;
}

function printTradeTable(trades: Trade[]): void {
  const table = makeTable(['time', 'venue', 'side', 'token', 'amount', 'quote', 'trader', 'via', 'sig'], [4, 5], [
    { priority: 6 }, { priority: 4 }, { priority: 9 }, { priority: 10 }, { priority: 8 }, { priority: 7 }, { priority: 5 }, { priority: 3 }, { priority: 2 },
  ]);
  for (const t of trades) {
    table.push([
      isoTime(t.blockTime),
      t.venue,
      sideText(t),
      shortKey(t.baseMint),
      formatAmount(t.baseAmount, t.baseDecimals, 4),
      `${formatAmount(t.quoteAmount, t.quoteDecimals, 6)} ${mintLabel(t.quoteMint)}`,
      shortKey(t.trader),
      [t.platform, t.isDca ? 'DCA' : null, t.isLimitOrder ? 'limit' : null].filter(Boolean).join(' ') || '-',
      shortKey(t.signature, 6),
    ]);
  }
  process.stdout.write(table.toString() + '\n');
}
