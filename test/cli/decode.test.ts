import { mkdtempSync, writeFileSync, readFileSync, copyFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, solflow } from './run.js';

const TX = join(ROOT, 'fixtures', 'tx');
const PUMP_SELL = '3bYXWjjNkVZpz3VWrp8Sh12usVCnzEqhYCnNNMQrMu7C8XHssi2WBTW37zukC5oyYTsAKYRtUQ1xhwFMYFMH19VJ';

describe('solflow decode', () => {
  it('--json prints one object per trade with the contract field names', () => {
    const r = solflow(['decode', join(TX, `${PUMP_SELL}.json`), '--json']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const t = JSON.parse(lines[0]);
    expect(t).toMatchObject({
      signature: PUMP_SELL,
      slot: 278536429,
      blockTime: 1721436000,
      ixPath: '3.0',
      venue: 'pumpfun',
      programId: '6EF8rrecthR5Dkzon8Nwu78hRvfCKubJ14M5uBEwF6P',
      trader: '4DdrfiDHpmx55i4SPssxVzS9ZaKLb8qr45NKY9Er9nNh',
      side: 'sell',
      baseMint: 'CnNVDyM7GXBBcH8giuRYm17YCn6kpFTTbnd6Tx4hpump',
      baseAmount: '592443959000000',
      quoteMint: 'So11111111111111111111111111111111111111112',
      quoteAmount: '37437283903',
      baseDecimals: 6,
      quoteDecimals: 9,
      platform: null,
      isDca: false,
    });
    expect(typeof t.pool).toBe('string');
  });

  it('reads a directory and JSON Lines, reports a bad file in one line and still decodes the rest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'solflow-decode-'));
    copyFileSync(join(TX, `${PUMP_SELL}.json`), join(dir, 'good.json'));
    writeFileSync(join(dir, 'broken.json'), '{"meta": ');
    writeFileSync(join(dir, 'notatx.json'), '{"hello": 1}');
    const line = JSON.stringify(JSON.parse(readFileSync(join(TX, `${PUMP_SELL}.json`), 'utf8')));
    writeFileSync(join(dir, 'many.jsonl'), `${line}\nnot json\n${line}\n`);
    const r = solflow(['decode', dir, '--json']);
    expect(r.code).toBe(3);
    expect(r.stdout.trim().split('\n')).toHaveLength(3);
    const errors = r.stderr.trim().split('\n');
    expect(errors).toHaveLength(3);
    expect(errors.find((l) => l.includes('broken.json'))).toMatch(/invalid JSON/);
    expect(errors.find((l) => l.includes('notatx.json'))).toMatch(/not a transaction/);
    expect(errors.find((l) => l.includes('many.jsonl:2'))).toMatch(/invalid JSON/);
  });

  it('prints a table by default and a summary on stderr', () => {
    const r = solflow(['decode', join(TX, `${PUMP_SELL}.json`)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('pumpfun');
    expect(r.stdout).toContain('37.437283 SOL');
    expect(r.stderr).toContain('1 transaction, 1 trade');
  });

  it('refuses a signature without an RPC endpoint as a usage error', () => {
    const r = solflow(['decode', PUMP_SELL], { env: { SOLFLOW_RPC_URL: '' } });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--rpc/);
  });

  it('a missing file is reported, exit code says so', () => {
    const r = solflow(['decode', '/nonexistent/file.json']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/no such file/);
    // Only the error: no empty table on stdout, no summary of nothing.
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('output into a pipe that closes early', () => {
  it('decode … | head ends quietly with exit 0', () => {
    const r = spawnSync('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" bin/solflow.js decode fixtures/tx --json | head -1`], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/EPIPE|Error/);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveProperty('signature');
  });
});

describe('solflow --help', () => {
  it('lists the subcommands with an example each', () => {
    const r = solflow(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/decode/);
    expect(r.stdout).toMatch(/demo/);
    expect(solflow(['decode', '--help']).stdout).toMatch(/Example:/);
  });
});
