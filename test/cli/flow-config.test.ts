import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS } from '../../src/core/flow/options.js';
import { ROOT, solflow } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'solflow-flowcfg-'));
const file = (name: string, body: string) => {
  const p = join(dir, name);
  writeFileSync(p, body);
  return p;
};

describe('solflow flow-config', () => {
  it('prints the defaults as JSON that reads back unchanged', () => {
    const r = solflow(['flow-config']);
    expect(r.code, r.stderr).toBe(0);
    const printed = JSON.parse(r.stdout);
    expect(printed.bot).toEqual(DEFAULT_OPTIONS.bot);
    expect(printed.signals).toEqual(DEFAULT_OPTIONS.signals);
    const again = solflow(['flow-config', '--flow-config', file('all.json', r.stdout)]);
    expect(JSON.parse(again.stdout)).toEqual(printed);
  });

  it('merges a partial file over the defaults, from the option or SOLFLOW_FLOW_CONFIG', () => {
    const p = file('partial.json', JSON.stringify({ bot: { rate: { trades: 20 } }, signals: { cooldownSeconds: 60 } }));
    for (const r of [solflow(['flow-config', '--flow-config', p]), solflow(['flow-config'], { env: { SOLFLOW_FLOW_CONFIG: p } })]) {
      const cfg = JSON.parse(r.stdout);
      expect(cfg.bot.rate).toEqual({ trades: 20, seconds: DEFAULT_OPTIONS.bot.rate.seconds });
      expect(cfg.signals.cooldownSeconds).toBe(60);
      expect(cfg.bot.sandwich).toEqual(DEFAULT_OPTIONS.bot.sandwich);
    }
  });

  it('refuses typos, wrong types and unreadable files in one line with exit 2', () => {
    const cases: [string, RegExp][] = [
      [file('typo.json', '{"bot":{"rate":{"trade":20}}}'), /unknown setting bot\.rate\.trade; known here: trades, seconds/],
      [file('type.json', '{"bot":{"roundTrip":{"seconds":"10"}}}'), /bot\.roundTrip\.seconds must be a non-negative number/],
      [file('neg.json', '{"lagSlots":-1}'), /lagSlots must be a non-negative number/],
      [file('bad.json', '{"bot":'), /cannot read flow config .*bad\.json/],
      [join(dir, 'missing.json'), /cannot read flow config/],
    ];
    for (const [p, want] of cases) {
      const r = solflow(['flow-config', '--flow-config', p]);
      expect(r.code, p).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(want);
    }
  });
});

describe('backfill --flow-config', () => {
  const bots = (db: string) => {
    const d = new Database(db, { readonly: true });
    try {
      return d.prepare('SELECT count(*) FROM trades WHERE is_bot = 1').pluck().get() as number;
    } finally {
      d.close();
    }
  };

  it('classifies with the thresholds from the file; a bad file stops before anything is written', () => {
    const fixtures = join(ROOT, 'fixtures', 'tx');
    const plain = join(dir, 'plain.db');
    expect(solflow(['backfill', '--from', fixtures, '--db', plain]).code).toBe(0);
    // Two transactions within a day by one wallet count as automated under this (silly) setting.
    const strict = join(dir, 'strict.db');
    const cfg = file('strict.json', JSON.stringify({ bot: { rate: { trades: 2, seconds: 86_400 } } }));
    const r = solflow(['backfill', '--from', fixtures, '--db', strict, '--flow-config', cfg]);
    expect(r.code, r.stderr).toBe(0);
    expect(bots(strict)).toBeGreaterThan(bots(plain));

    const none = join(dir, 'none.db');
    const bad = solflow(['backfill', '--from', fixtures, '--db', none, '--flow-config', file('typo2.json', '{"bots":{}}')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown setting bots/);
    expect(existsSync(none)).toBe(false);
  });
});
