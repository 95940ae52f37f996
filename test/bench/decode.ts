/**
 * Decode throughput, single thread, over every real fixture — next to solana-dex-parser (the
 * open-source TypeScript peer) on the same parsed objects in the same process.
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

export async function benchDecode(seconds = 3): Promise<Record<string, number>> {
  const txs = await loadAll();
  const trades = txs.reduce((n, tx) => n + decodeTransaction(tx).length, 0);
  const ours = measure(txs, (tx) => decodeTransaction(tx), seconds);
  const parser = new DexParser();
  const peer = measure(txs, (tx) => parser.parseAll(tx as never), seconds);
  const ratio = ours.txPerSec / peer.txPerSec;
  console.log(`decode: ${txs.length} real transactions (${trades} trades), single thread`);
  console.log(`  solflow decodeTransaction   ${ours.txPerSec.toFixed(0).padStart(8)} tx/s`);
  console.log(`  solana-dex-parser parseAll  ${peer.txPerSec.toFixed(0).padStart(8)} tx/s   (baseline, same process, same objects)`);
  console.log(`  ratio                       ${ratio.toFixed(1).padStart(8)}×`);
  return { decodeTxPerSec: ours.txPerSec, peerTxPerSec: peer.txPerSec, ratio };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchDecode(Number(process.env.BENCH_SECONDS ?? 3));
}
