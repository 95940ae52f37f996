/**
 * Decode throughput, single thread, over every real fixture — next to solana-dex-parser (the
 * open-source TypeScript peer) on the same parsed objects in the same process.
 *
 * Two conditions: the same objects decoded over and over (warm caches, string hashes already
 * computed), and each object decoded once straight after JSON.parse, as the ingest frame worker
 * sees them — the second is the figure that predicts ingest. Only the decode is timed.
 */
import { performance } from 'node:perf_hooks';
import { DexParser } from 'solana-dex-parser';
import { decodeTransaction } from '../../src/core/decode/index.js';
import type { RawTransaction } from '../../src/core/decode/rawtx.js';
import { readRecorded } from '../../src/sources/recorded.js';
import { FIXTURE_TX_DIR } from '../support/replay/index.js';

async function loadAll(): Promise<RawTransaction[]> {
  const txs: RawTransaction[] = [];
  for await (const item of readRecorded([FIXTURE_TX_DIR])) if (item.kind === 'tx') txs.push(item.tx);
  return txs;
}

/** Transactions per second of `fn` over `txs`, repeated for about `seconds`. */
function measure(txs: RawTransaction[], fn: (tx: RawTransaction) => unknown, seconds: number): { txPerSec: number; failures: number } {
  let failures = 0;
  const once = () => {
    for (const tx of txs) {
      try {
        fn(tx);
      } catch {
        failures++;
      }
    }
  };
  for (let i = 0; i < 3; i++) once(); // warm up the JIT
  failures = 0;
  let done = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    once();
    done += txs.length;
  }
  const elapsed = (performance.now() - start) / 1000;
  return { txPerSec: done / elapsed, failures: Math.round((failures * txs.length) / Math.max(done, 1)) };
}

/**
 * Transactions per second of `fn` when every call gets an object JSON.parse has just built from
 * `texts`, repeated for about `seconds`; the parsing is not timed.
 */
function measureFresh(texts: string[], fn: (tx: RawTransaction) => unknown, seconds: number): { txPerSec: number } {
  const batch = () => texts.map((t) => JSON.parse(t) as RawTransaction);
  const once = (txs: RawTransaction[]) => {
    for (const tx of txs) {
      try {
        fn(tx);
      } catch {
        // counted by measure(); here only the time matters
      }
    }
  };
  for (let i = 0; i < 3; i++) once(batch());
  let done = 0;
  let busy = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    const txs = batch();
    const t0 = performance.now();
    once(txs);
    busy += performance.now() - t0;
    done += txs.length;
  }
  return { txPerSec: done / (busy / 1000) };
}

const usPerTx = (txPerSec: number) => (1e6 / txPerSec).toFixed(1).padStart(7);

export async function benchDecode(seconds = 3): Promise<Record<string, number>> {
  const txs = await loadAll();
  const texts = txs.map((tx) => JSON.stringify(tx));
  const trades = txs.reduce((n, tx) => n + decodeTransaction(tx).length, 0);
  const parser = new DexParser();
  const ours = measure(txs, (tx) => decodeTransaction(tx), seconds);
  const peer = measure(txs, (tx) => parser.parseAll(tx as never), seconds);
  const oursFresh = measureFresh(texts, (tx) => decodeTransaction(tx), seconds);
  const peerFresh = measureFresh(texts, (tx) => parser.parseAll(tx as never), seconds);
  const ratio = ours.txPerSec / peer.txPerSec;
  const freshRatio = oursFresh.txPerSec / peerFresh.txPerSec;
  const row = (name: string, r: { txPerSec: number }, note = '') =>
    console.log(`  ${name.padEnd(28)}${r.txPerSec.toFixed(0).padStart(8)} tx/s ${usPerTx(r.txPerSec)} µs/tx${note}`);
  console.log(`decode: ${txs.length} real transactions (${trades} trades), single thread`);
  console.log('  same objects, decoded over and over:');
  row('solflow decodeTransaction', ours);
  row('solana-dex-parser parseAll', peer, '   (baseline, same process, same objects)');
  console.log(`  ratio                       ${ratio.toFixed(1).padStart(8)}×`);
  console.log('  each object decoded once, fresh from JSON.parse (as the ingest frame worker sees it):');
  row('solflow decodeTransaction', oursFresh);
  row('solana-dex-parser parseAll', peerFresh, '   (baseline, same process, same texts)');
  console.log(`  ratio                       ${freshRatio.toFixed(1).padStart(8)}×`);
  return {
    decodeTxPerSec: ours.txPerSec,
    peerTxPerSec: peer.txPerSec,
    ratio,
    decodeFreshTxPerSec: oursFresh.txPerSec,
    peerFreshTxPerSec: peerFresh.txPerSec,
    freshRatio,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchDecode(Number(process.env.BENCH_SECONDS ?? 3));
}
