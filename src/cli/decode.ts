/** `solflow decode`: the trades in recorded transactions (or one fetched by signature). */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { decodeTransaction } from '../core/decode/index.js';
import { tradeToJson, type Trade } from '../core/trade.js';
import { readRecorded, type RecordedItem } from '../sources/recorded.js';
import { fetchTransaction } from '../sources/fetch-transaction.js';
import { EXIT, UsageError } from './errors.js';
import { formatAmount, isoTime, makeTable, mintLabel, shortKey } from './format.js';
import type { CommandRegistrar } from './main.js';
import { withExample } from './examples.js';
import { redactText } from '../util/redact.js';
import { loadLabels } from './labels-option.js';

const SIGNATURE = /^[1-9A-HJ-NP-Za-km-z]{64,90}$/;

interface DecodeOpts {
  json?: boolean;
  rpc?: string;
  labels?: string;
}

export const registerDecode: CommandRegistrar = (program, setExit) => {
  const cmd = program
    .command('decode')
    .description('print the trades found in recorded transactions (files, directories, JSON Lines) or signatures')
    .argument('<inputs...>', 'files, directories of *.json, .jsonl files, or transaction signatures (with --rpc)')
    .option('--json', 'one JSON object per line per trade')
    .option('--rpc <url>', 'RPC endpoint for signatures (env SOLFLOW_RPC_URL)', process.env.SOLFLOW_RPC_URL)
    .option('--labels <file>', 'extra labels file merged over the shipped one (env SOLFLOW_LABELS)', process.env.SOLFLOW_LABELS)
    .action(async (inputs: string[], opts: DecodeOpts) => {
      setExit(await runDecode(inputs, opts));
    });
  withExample(cmd, 'solflow decode fixtures/tx --json | head');
};

async function* items(inputs: string[], opts: DecodeOpts): AsyncGenerator<RecordedItem> {
  const paths: string[] = [];
  for (const input of inputs) {
    if (!existsSync(input) && SIGNATURE.test(input)) {
      if (paths.length) yield* readRecorded(paths.splice(0));
      if (!opts.rpc) throw new UsageError(`'${input}' looks like a signature: pass --rpc URL (or SOLFLOW_RPC_URL) to fetch it`);
      try {
        yield { kind: 'tx', tx: await fetchTransaction(opts.rpc, input), origin: input };
      } catch (err) {
        yield { kind: 'error', origin: input, message: redactText((err as Error).message) };
      }
    } else {
      paths.push(input);
    }
  }
  if (paths.length) yield* readRecorded(paths);
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
  if (!opts.json) {
    printTradeTable(trades);
    process.stderr.write(`${txCount} transactions, ${trades.length} trades${failed ? `, ${failed} failed` : ''}\n`);
  }
  return failed > 0 ? EXIT.partial : EXIT.ok;
}

export function printTradeTable(trades: Trade[]): void {
  const table = makeTable(['time', 'venue', 'side', 'token', 'amount', 'quote', 'trader', 'via', 'sig'], [4, 5]);
  for (const t of trades) {
    table.push([
      isoTime(t.blockTime),
      t.venue,
      t.side,
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
