import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeTransaction } from '../../src/core/decode/index.js';
import { formatAmount } from '../../src/format/text.js';
import { amountText } from '../../src/tui/text.js';

const TX = join(import.meta.dirname, '..', '..', 'fixtures', 'tx');

describe('amounts as text', () => {
  it('are exact and trimmed', () => {
    expect(formatAmount(1_234_567_890_123n, 9, 4)).toBe('1,234.5678');
    expect(formatAmount(-5_000_000n, 6, 2)).toBe('-5');
    expect(formatAmount(0n, 9, 4)).toBe('0');
  });

  it('never print a non-zero amount as 0', () => {
    expect(formatAmount(28_168n, 9, 4)).toBe('<0.0001');
    expect(formatAmount(-28_168n, 9, 4)).toBe('>-0.0001');
    expect(formatAmount(4_239n, 6, 2)).toBe('<0.01');
    expect(formatAmount(4_239n, 6, 6)).toBe('0.004239');
    expect(formatAmount(1n, 9, 0)).toBe('<1');
  });

  it('show the dust legs of a real Raydium route (JiqYGk…: 28,168 lamports for 4,239 USDT units)', () => {
    const raw = JSON.parse(readFileSync(join(TX, 'JiqYGkWcYu8GxPZsMdXDnA8tkZvHnHVmNuKr4JYBErm4rgQWssdHCkbe8MzwwNGndyvyNYaaY5vvMhUMPNiQX9u.json'), 'utf8'));
    const trades = decodeTransaction(raw);
    const toSol = trades.find((t) => t.solAmount === 28_168n);
    const toUsdt = trades.find((t) => t.quoteAmount === 4_239n && t.solAmount === null);
    expect(toSol && amountText(toSol)).toBe('<0.0001 SOL');
    expect(toUsdt && amountText(toUsdt)).toBe('<0.01 USDT');
  });
});
