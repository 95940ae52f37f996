/**
 * Basic-auth RPC endpoints (`https://user:password@host/`): fetch() refuses such URLs outright,
 * so the client must send the credentials as a header, and never print them.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpcClient } from '../../src/sources/rpc/client.js';

let server: Server;
let port = 0;
const seen: (string | undefined)[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.headers.authorization);
    req.resume();
    req.on('end', () => {
      if (req.headers.authorization !== `Basic ${Buffer.from('alice:s3cr3t-pass').toString('base64')}`) {
        res.writeHead(401, { 'content-type': 'text/plain' }).end('unauthorized');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: 1, result: 4242 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('RPC URL with user:password@', () => {
  it('sends the credentials as an Authorization header and gets an answer', async () => {
    const c = new RpcClient({ url: `http://alice:s3cr3t-pass@127.0.0.1:${port}/`, timeoutMs: 2000, initialRps: 100 });
    await expect(c.call<number>('getSlot', [])).resolves.toBe(4242);
    expect(seen.at(-1)).toMatch(/^Basic /);
  });

  it('wrong credentials fail with a message that does not show the password', async () => {
    const c = new RpcClient({ url: `http://alice:wrong-pass@127.0.0.1:${port}/`, timeoutMs: 2000, initialRps: 100, maxAttempts: 1 });
    const err = await c.call('getSlot', []).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect(String((err as Error).message)).not.toContain('wrong-pass');
  });
});
