// Builds fixtures/constructed/*: keeper fills that the corpus has no real sample of, made from a
// real Jupiter v6 route (65Cb18HW…, a SOL → pump token buy) plus the programs' published layouts.
// Run after `npm run build`: node test/support/build-constructed.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { base58Decode, base58Encode } from '../../dist/core/decode/base58.js';

const SOURCE = '65Cb18HWEHRDDqmh4FYuYjckxsChN8hHQvAaqrMgTTWmgLpfKNLdCLnzYvLpfj1oFuCJ4qr4EMVqUKzphxHVpK8K';
const root = new URL('../../fixtures/', import.meta.url);
const EVENT_TAG = Buffer.from('e445a52e51cb9a1d', 'hex');
const disc = (s) => createHash('sha256').update(s).digest().subarray(0, 8);
const u64 = (v) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); return b; };
const pk = (s) => Buffer.from(base58Decode(s));
const b58 = (buf) => base58Encode(new Uint8Array(buf));

const WSOL = 'So11111111111111111111111111111111111111112';
const TOKEN = 'Do5AUUYXMydcqYQ3As9XFD5VS6ugEEGkpmh9mwMwpump';
const IN_AMOUNT = 6420986n;
const OUT_AMOUNT = 227222628794n;

function load() {
  return JSON.parse(readFileSync(new URL(`tx/${SOURCE}.json`, root), 'utf8'));
}

/** Swap the signer for a keeper everywhere it appears, and add accounts at the end. */
function asKeeperTx(tx, keeper, extraKeys) {
  const signer = tx.transaction.message.accountKeys[0];
  const msg = tx.transaction.message;
  msg.accountKeys = msg.accountKeys.map((k) => (k === signer ? keeper : k)).concat(extraKeys);
  msg.header.numReadonlyUnsignedAccounts += extraKeys.length;
  for (const list of [tx.meta.preTokenBalances, tx.meta.postTokenBalances]) {
    for (const b of list) if (b.owner === signer) b.owner = keeper;
  }
  for (const arr of [tx.meta.preBalances, tx.meta.postBalances]) for (const _ of extraKeys) arr.push(1141440);
  return msg.accountKeys;
}

/** Put outer instructions before/after the Jupiter route (outer 6), shifting inner groups. */
function wrapRoute(tx, before, after, innerAfter) {
  const msg = tx.transaction.message;
  msg.instructions.splice(6, 0, before);
  msg.instructions.splice(8, 0, after);
  for (const g of tx.meta.innerInstructions) if (g.index >= 6) g.index += 1;
  tx.meta.innerInstructions.push({ index: 8, instructions: innerAfter });
  tx.meta.innerInstructions.sort((a, b) => a.index - b.index);
}

function dcaFill() {
  const tx = load();
  const keeper = 'DCAKuApAuZtVNYLk3KTAVW9GLWVvPbnb5CxxRRmVgcTr';
  const user = '4vYWDeg6NHUt1VoUZoV8RqZA51AUEd4VCCghA4arfuH7'; // a DCA owner from the corpus
  const dcaAccount = 'GxMofmfnZw6ia9DE2KoqjgEd1vp7VuSrhqYqLWLW6bXf';
  const keys = asKeeperTx(tx, keeper, ['DCA265Vj8a9CEuX1eb1LWRnDT7uK6q1xMipnNyatn23M', dcaAccount, 'Cspp27eGUDMXxPEdhmEXFVRn6Lt1L7xJyALF3nmnWoBj']);
  const ix = (k) => keys.indexOf(k);
  const dca = ix('DCA265Vj8a9CEuX1eb1LWRnDT7uK6q1xMipnNyatn23M');
  const fee = OUT_AMOUNT / 1000n;
  const filled = Buffer.concat([EVENT_TAG, disc('event:Filled'), pk(user), pk(dcaAccount), pk(WSOL), pk(TOKEN), u64(IN_AMOUNT), u64(OUT_AMOUNT), pk(TOKEN), u64(fee)]);
  wrapRoute(
    tx,
    { programIdIndex: dca, accounts: [0, ix(dcaAccount), ix(WSOL)], data: b58(disc('global:initiate_flash_fill')), stackHeight: null },
    { programIdIndex: dca, accounts: [0, ix(dcaAccount), ix(WSOL), ix(TOKEN), ix('Cspp27eGUDMXxPEdhmEXFVRn6Lt1L7xJyALF3nmnWoBj'), dca], data: b58(Buffer.concat([disc('global:fulfill_flash_fill'), u64(IN_AMOUNT)])), stackHeight: null },
    [{ programIdIndex: dca, accounts: [ix('Cspp27eGUDMXxPEdhmEXFVRn6Lt1L7xJyALF3nmnWoBj')], data: b58(filled), stackHeight: 2 }],
  );
  tx.constructed = `Jupiter DCA keeper fill built from real tx ${SOURCE}: signer replaced by keeper ${keeper}, initiate_flash_fill/fulfill_flash_fill and a FilledEvent (owner ${user}) added per the DCA program's published layout.`;
  return tx;
}

function limitFill() {
  const tx = load();
  const keeper = 'j1oAbxxiDUWvoHxEDhWE7THLjEkDQW2cSHYn2vttxTF';
  const maker = '4vYWDeg6NHUt1VoUZoV8RqZA51AUEd4VCCghA4arfuH7';
  const order = 'GxMofmfnZw6ia9DE2KoqjgEd1vp7VuSrhqYqLWLW6bXf';
  const program = 'j1o2qRpjcyUwEvwtcfhEQefh773ZgjxcVRry7LDqg5X';
  const keys = asKeeperTx(tx, keeper, [program, maker, order]);
  const ix = (k) => keys.indexOf(k);
  const prog = ix(program);
  const trade = Buffer.concat([EVENT_TAG, disc('event:TradeEvent'), pk(order), pk(keeper), u64(0), u64(0), u64(IN_AMOUNT), u64(OUT_AMOUNT)]);
  // pre_flash_fill_order: 0 taker · 1 order · 2 reserve · 3 taker input account · 4 input mint · …
  // flash_fill_order: 0 taker · 1 maker · 2 order · … · 8 output mint · …
  const flashAccounts = [0, ix(maker), ix(order), 1, 1, 1, 1, ix('TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA'), ix(TOKEN), ix('TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA'), ix('11111111111111111111111111111111'), prog, prog];
  wrapRoute(
    tx,
    { programIdIndex: prog, accounts: [0, ix(order), 1, 1, ix(WSOL), ix('TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA'), prog], data: b58(Buffer.concat([disc('global:pre_flash_fill_order'), u64(IN_AMOUNT)])), stackHeight: null },
    { programIdIndex: prog, accounts: flashAccounts, data: b58(Buffer.concat([disc('global:flash_fill_order'), u64(OUT_AMOUNT)])), stackHeight: null },
    [{ programIdIndex: prog, accounts: [prog], data: b58(trade), stackHeight: 2 }],
  );
  tx.constructed = `Jupiter limit order v2 keeper fill built from real tx ${SOURCE}: signer replaced by keeper ${keeper}, pre_flash_fill_order/flash_fill_order (maker ${maker}) and a TradeEvent added per the program's published layout.`;
  return tx;
}

// Multi-hop fills, from a real two-hop Jupiter route (2pfnv4d…: USDC → SOL on Meteora DLMM, SOL →
// pump token on Pump.fun). They live in fixtures/fills so the corpus counts elsewhere stay put.
const MULTI_SOURCE = '2pfnv4drhnitfzCFKxiRoJMzFQpG7wZ9mpRQVk7xm5TQ27g6FZH95HVF6KgwQBS872yGtyhuq57jXXS1y29ub11';
const USDC = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v';
const PUMP_TOKEN = 'HaMv3cdfDW6357yjpDur6kb6w52BUPJrMJpR76tjpump';
const MULTI_IN = 10000n;
const MULTI_OUT = 2583728601n;
const MULTI_ROUTE_OUTER = 4;

/**
 * Swap the signer for a keeper and append accounts after every existing key (after the
 * lookup-table addresses too, so no instruction's account index moves).
 */
function asKeeperTxAppended(tx, keeper, extraKeys) {
  const msg = tx.transaction.message;
  const signer = msg.accountKeys[0];
  msg.accountKeys = msg.accountKeys.map((k) => (k === signer ? keeper : k));
  for (const list of [tx.meta.preTokenBalances, tx.meta.postTokenBalances]) {
    for (const b of list) if (b.owner === signer) b.owner = keeper;
  }
  tx.meta.loadedAddresses.readonly.push(...extraKeys);
  for (const arr of [tx.meta.preBalances, tx.meta.postBalances]) for (const _ of extraKeys) arr.push(1141440);
  const all = [...msg.accountKeys, ...tx.meta.loadedAddresses.writable, ...tx.meta.loadedAddresses.readonly];
  return (k) => all.indexOf(k);
}

/** Log lines of outer instruction `outer`: from its `invoke [1]` to the next one. */
function outerLogRange(logs, outer) {
  const starts = [];
  logs.forEach((l, i) => { if (/ invoke \[1\]$/.test(l)) starts.push(i); });
  return [starts[outer], starts[outer + 1] ?? logs.length];
}

/**
 * Put `before` and `after` around the route at `routeOuter`, with the log lines each program
 * writes (so `Program data:` events are attributed to the right instruction).
 */
function wrapRouteAt(tx, routeOuter, before, after, innerAfter) {
  const msg = tx.transaction.message;
  const logs = tx.meta.logMessages;
  const [, routeEnd] = outerLogRange(logs, routeOuter);
  const [routeStart] = outerLogRange(logs, routeOuter);
  const programOf = (ix) => tx.meta.loadedAddresses && ix.programIdIndex >= msg.accountKeys.length
    ? [...tx.meta.loadedAddresses.writable, ...tx.meta.loadedAddresses.readonly][ix.programIdIndex - msg.accountKeys.length]
    : msg.accountKeys[ix.programIdIndex];
  const block = (ix, lines) => [`Program ${programOf(ix.ix)} invoke [1]`, ...lines, `Program ${programOf(ix.ix)} consumed 30000 of 400000 compute units`, `Program ${programOf(ix.ix)} success`];
  logs.splice(routeEnd, 0, ...block(after, after.logs));
  logs.splice(routeStart, 0, ...block(before, before.logs));
  msg.instructions.splice(routeOuter, 0, before.ix);
  msg.instructions.splice(routeOuter + 2, 0, after.ix);
  for (const g of tx.meta.innerInstructions) if (g.index >= routeOuter) g.index += g.index > routeOuter ? 2 : 1;
  if (innerAfter.length) tx.meta.innerInstructions.push({ index: routeOuter + 2, instructions: innerAfter });
  tx.meta.innerInstructions.sort((a, b) => a.index - b.index);
}

function loadMulti() {
  return JSON.parse(readFileSync(new URL(`tx/${MULTI_SOURCE}.json`, root), 'utf8'));
}

/** DCA fill over two hops whose FilledEvent is only a `Program data:` log line. */
function dcaFillMultiHopLogged() {
  const tx = loadMulti();
  const keeper = 'DCAKuApAuZtVNYLk3KTAVW9GLWVvPbnb5CxxRRmVgcTr';
  const user = '4vYWDeg6NHUt1VoUZoV8RqZA51AUEd4VCCghA4arfuH7';
  const dcaAccount = 'GxMofmfnZw6ia9DE2KoqjgEd1vp7VuSrhqYqLWLW6bXf';
  const program = 'DCA265Vj8a9CEuX1eb1LWRnDT7uK6q1xMipnNyatn23M';
  const ix = asKeeperTxAppended(tx, keeper, [program, dcaAccount, USDC, PUMP_TOKEN]);
  const fee = MULTI_OUT / 1000n;
  const filled = Buffer.concat([disc('event:Filled'), pk(user), pk(dcaAccount), pk(USDC), pk(PUMP_TOKEN), u64(MULTI_IN), u64(MULTI_OUT), pk(PUMP_TOKEN), u64(fee)]);
  wrapRouteAt(
    tx,
    MULTI_ROUTE_OUTER,
    { ix: { programIdIndex: ix(program), accounts: [0, ix(dcaAccount), ix(USDC)], data: b58(disc('global:initiate_flash_fill')) }, logs: ['Program log: Instruction: InitiateFlashFill'] },
    { ix: { programIdIndex: ix(program), accounts: [0, ix(dcaAccount), ix(USDC), ix(PUMP_TOKEN)], data: b58(Buffer.concat([disc('global:fulfill_flash_fill'), u64(MULTI_IN)])) }, logs: ['Program log: Instruction: FulfillFlashFill', `Program data: ${filled.toString('base64')}`] },
    [],
  );
  tx.constructed = `Jupiter DCA keeper fill over a two-hop route, built from real tx ${MULTI_SOURCE}: signer replaced by keeper ${keeper}, initiate_flash_fill/fulfill_flash_fill added, the FilledEvent (owner ${user}) written only as a Program data log line.`;
  return tx;
}

/** Limit order v2 fill over two hops, TradeEvent as a self-CPI inner instruction. */
function limitFillMultiHop() {
  const tx = loadMulti();
  const keeper = 'j1oAbxxiDUWvoHxEDhWE7THLjEkDQW2cSHYn2vttxTF';
  const maker = '4vYWDeg6NHUt1VoUZoV8RqZA51AUEd4VCCghA4arfuH7';
  const order = 'GxMofmfnZw6ia9DE2KoqjgEd1vp7VuSrhqYqLWLW6bXf';
  const program = 'j1o2qRpjcyUwEvwtcfhEQefh773ZgjxcVRry7LDqg5X';
  const TOKEN_PROGRAM = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA';
  const ix = asKeeperTxAppended(tx, keeper, [program, maker, order, USDC, PUMP_TOKEN]);
  const prog = ix(program);
  const trade = Buffer.concat([EVENT_TAG, disc('event:TradeEvent'), pk(order), pk(keeper), u64(0), u64(0), u64(MULTI_IN), u64(MULTI_OUT)]);
  const flashAccounts = [0, ix(maker), ix(order), 1, 1, 1, 1, ix(TOKEN_PROGRAM), ix(PUMP_TOKEN), ix(TOKEN_PROGRAM), ix('11111111111111111111111111111111'), prog, prog];
  wrapRouteAt(
    tx,
    MULTI_ROUTE_OUTER,
    { ix: { programIdIndex: prog, accounts: [0, ix(order), 1, 1, ix(USDC), ix(TOKEN_PROGRAM), prog], data: b58(Buffer.concat([disc('global:pre_flash_fill_order'), u64(MULTI_IN)])) }, logs: ['Program log: Instruction: PreFlashFillOrder'] },
    { ix: { programIdIndex: prog, accounts: flashAccounts, data: b58(Buffer.concat([disc('global:flash_fill_order'), u64(MULTI_OUT)])) }, logs: ['Program log: Instruction: FlashFillOrder', `Program ${program} invoke [2]`, `Program ${program} consumed 2000 of 300000 compute units`, `Program ${program} success`] },
    [{ programIdIndex: prog, accounts: [prog], data: b58(trade), stackHeight: 2 }],
  );
  tx.constructed = `Jupiter limit order v2 keeper fill over a two-hop route, built from real tx ${MULTI_SOURCE}: signer replaced by keeper ${keeper}, pre_flash_fill_order/flash_fill_order (maker ${maker}) and a self-CPI TradeEvent added per the program's published layout.`;
  return tx;
}

writeFileSync(new URL('fills/jupiter-dca-fill-2hop-logged.constructed.json', root), JSON.stringify(dcaFillMultiHopLogged(), null, 1) + '\n');
writeFileSync(new URL('fills/jupiter-limit-v2-fill-2hop.constructed.json', root), JSON.stringify(limitFillMultiHop(), null, 1) + '\n');
writeFileSync(new URL('constructed/jupiter-dca-fill.constructed.json', root), JSON.stringify(dcaFill(), null, 1) + '\n');
writeFileSync(new URL('constructed/jupiter-limit-fill.constructed.json', root), JSON.stringify(limitFill(), null, 1) + '\n');
console.log('wrote fixtures/constructed/*.constructed.json and fixtures/fills/*.constructed.json');
