import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReplay, type ReplayServer } from '../support/replay/index.js';
import { solflowAsync } from './run.js';

const PUMP_SELL = '3bYXWjjNkVZpz3VWrp8Sh12usVCnzEqhYCnNNMQrMu7C8XHssi2WBTW37zukC5oyYTsAKYRtUQ1xhwFMYFMH19VJ';
const UNKNOWN = '2'.repeat(88);

describe('solflow decode <signature> --rpc', () => {
  let server: ReplayServer;
  beforeAll(async () => {
    server = await startReplay();
  });
  afterAll(async () => {
    await server.close();
  });

  it('fetches the transaction and decodes it', async () => {
    const r = await solflowAsync(['decode', PUMP_SELL, '--rpc', server.url, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toMatchObject({ signature: PUMP_SELL, venue: 'pumpfun', quoteAmount: '37437283903' });
  });

  it('reports a signature the endpoint does not know, and never prints the API key', async () => {
    const url = `${server.url}/?api-key=supersecretkey123456`;
    const r = await solflowAsync(['decode', UNKNOWN, PUMP_SELL, '--rpc', url, '--json']);
    expect(r.code).toBe(3);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(UNKNOWN);
    expect(r.stderr).toMatch(/not found/);
    expect(r.stderr + r.stdout).not.toContain('supersecretkey123456');
  });
});
