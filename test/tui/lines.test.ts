import { describe, expect, it } from 'vitest';
import type { ClassifiedTrade } from '../../src/core/flow/types.js';
import { tradeToJson, type Trade } from '../../src/core/trade.js';
import { flagsOf, flagsText, platformName } from '../../src/tui/flags.js';
import { netFlowSlices, windowSeconds } from '../../src/core/flow/slices.js';
import { rankFlows } from '../../src/tui/flow-rows.js';
import { tapeColumns } from '../../src/tui/layout.js';
import { ndjsonLine, plainLine } from '../../src/tui/lines.js';
import { sourceLabel } from '../../src/tui/source-label.js';
import { sparkline } from '../../src/tui/sparkline.js';
import { tapeSegments } from '../../src/tui/tape-cells.js';
import { amountText } from '../../src/tui/text.js';
import { fixtureScript, limitFill } from './support.js';

const script = fixtureScript();
const all = script.trades;
const bot = all.find((t) => t.isBot)!;

/** The trade as the decoder gave it: the classified fields taken off. */
function decoded(t: ClassifiedTrade): Trade {
  const { isBot: _b, botReasons: _r, ...rest } = t;
  return rest;
}

describe('NDJSON lines', () => {
  it('are the decode --json record, field for field, then the stored flags', () => {
    for (const t of [...all, limitFill()]) {
      const line = ndjsonLine(t);
      const parsed = JSON.parse(line) as Record<string, unknown>;
      const expected = JSON.parse(JSON.stringify(tradeToJson(decoded(t)))) as Record<string, unknown>;
      expect(Object.keys(parsed)).toEqual([...Object.keys(expected), 'isBot', 'botReasons']);
      expect(parsed).toEqual({ ...expected, isBot: t.isBot, botReasons: t.botReasons });
      expect(line).not.toContain('\n');
    }
    const b = JSON.parse(ndjsonLine(bot));
    expect(b.isBot).toBe(true);
    expect(b.botReasons.length).toBeGreaterThan(0);
    expect(typeof b.baseAmount).toBe('string');
    expect(JSON.parse(ndjsonLine(all.find((t) => t.isDca)!)).isDca).toBe(true);
  });
});

describe('plain lines', () => {
  it('name a SOL ↔ USDC leg by the conversion (real fixture: SOL paid for USDC on OpenBook)', () => {
    const leg = all.find((t) => t.signature.startsWith('2BppD7ZqzcCp'))!;
    expect(plainLine(leg)).toContain(` ${leg.venue} SOL→USDC ${leg.baseMint} `);
  });

  it('carry full keys and the flags with reasons, and no escape code', () => {
    const line = plainLine(bot);
    expect(line).not.toMatch(/\x1b/);
    expect(line).toContain(bot.trader);
    expect(line).toContain(bot.signature);
    expect(line).toContain(bot.baseMint);
    expect(line).toContain(`BOT(${bot.botReasons.join(', ')})`);
    expect(line.startsWith(new Date(bot.blockTime! * 1000).toISOString().replace('.000Z', 'Z'))).toBe(true);
    for (const t of all) expect(plainLine(t)).not.toMatch(/[\x00-\x1f]/);
  });

  it('use the symbol when the feed knows it', () => {
    expect(plainLine(bot, (m) => (m === bot.baseMint ? 'USDC' : null))).toContain(` USDC ${amountText(bot)} `);
  });
});

describe('flags', () => {
  it('name the platform as its maker writes it', () => {
    const via = all.filter((t) => t.platform).map((t) => flagsText(flagsOf(t, false)));
    expect(via).toContain('BOT via Jupiter');
    expect(via).toContain('via OKX');
  });

  it('mark sandwich legs (reasons as the classifier writes them)', () => {
    const front: ClassifiedTrade = { ...all[0], isBot: true, botReasons: ['sandwich:front'] };
    expect(flagsText(flagsOf(front, false))).toBe('BOT SW:front' + (all[0].platform ? ` via ${platformName(all[0].platform)}` : ''));
    expect(flagsText(flagsOf({ ...front, botReasons: ['sandwich:back', 'rate:12 tx/60s'] }, true))).toMatch(/^BOT\(sandwich:back, rate:12 tx\/60s\) SW:back/);
  });

  it('show LIMIT and DCA', () => {
    expect(flagsText(flagsOf(limitFill(), false))).toContain('LIMIT');
    expect(flagsText(flagsOf(all.find((t) => t.isDca)!, false))).toContain('DCA');
  });
});

describe('tape rows', () => {
  it('are exactly the terminal width or less, for every real trade at every width', () => {
    for (const w of [30, 45, 60, 80, 100, 120, 160]) {
      const cols = tapeColumns(w);
      for (const t of all) for (const sel of [false, true]) {
        const text = tapeSegments(t, cols, sel).map((s) => s.text).join('');
        expect(text.length, `${w}: ${text}`).toBeLessThanOrEqual(w);
      }
    }
  });
});

describe('sparkline', () => {
  it('scales from the lowest (or zero) to the highest, and sums when squeezed', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8)).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([-7, 0, 7], 3)).toBe('▁▅█');
    expect(sparkline([0, 0, 0], 3)).toBe('▁▁▁');
    expect(sparkline([1, 1, 2, 2], 2)).toBe('▅█');
    expect(sparkline([1, 2], 0)).toBe('');
  });
});

describe('flows for feeds', () => {
  it('rank the engine numbers by net flow, only tokens that traded in the window', () => {
    const flows = script.updates[script.updates.length - 1].flows!;
    for (const f of flows) {
      const nets = f.rows.map((r) => r.netFlow);
      expect(nets).toEqual([...nets].sort((a, b) => b - a));
      expect(f.rows.every((r) => r.buyCount + r.sellCount > 0)).toBe(true);
    }
    expect(rankFlows([], '5m').rows).toEqual([]);
  });

  it('slice net SOL flow so the slices add up to the window', () => {
    const asOf = all[all.length - 1].blockTime!;
    const slices = netFlowSlices(all, asOf, windowSeconds('1h'), 12);
    for (const [mint, row] of slices) {
      const expected = all
        .filter((t) => t.baseMint === mint && t.solAmount !== null && t.blockTime! > asOf - 3600)
        .reduce((n, t) => n + (t.side === 'buy' ? 1 : -1) * Number(t.solAmount), 0);
      expect(row.reduce((a, b) => a + b, 0)).toBe(expected);
      expect(row).toHaveLength(12);
    }
    expect(slices.size).toBeGreaterThan(10);
  });
});

describe('source label', () => {
  it('shows a database path, and only the host of an endpoint', () => {
    expect(sourceLabel({ kind: 'db', path: './solflow.db' })).toBe('db ./solflow.db');
    expect(sourceLabel({ kind: 'rpc', url: 'https://mainnet.helius-rpc.com/?api-key=0123456789abcdef' })).toBe('rpc mainnet.helius-rpc.com');
    expect(sourceLabel({ kind: 'grpc', url: 'https://user:pass@grpc.example.com:10000/abcdefghijklmnopqrstuvwxyz' })).toBe('grpc grpc.example.com:10000');
    expect(sourceLabel({ kind: 'rpc', url: 'not a url?api-key=SECRET' })).not.toContain('SECRET');
  });
});
