import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS } from '../../src/core/flow/options.js';
import { solflow } from './run.js';

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
