import { describe, expect, it } from 'vitest';
import { createLogger, parseLevel } from '../../src/log/index.js';
import { Capture } from './capture.js';

const NOW = () => new Date('2026-12-04T12:00:00.000Z');

const SECRETS = {
  apiKey: 'APIKEYSECRET1',
  pathKey: 'abcdef0123456789abcdef0123456789',
  xToken: 'XTOKENSECRET7f3a',
  pgPassword: 'PGPASSWORD9',
  bearer: 'BEARERSECRET5',
};
const RPC_URL = `https://mainnet.example-rpc.com/?api-key=${SECRETS.apiKey}`;
const WS_URL = `wss://example.quiknode.pro/${SECRETS.pathKey}/`;
const PG_URL = `postgres://solflow:${SECRETS.pgPassword}@db.internal:5432/solflow`;

/** Everything a careless caller might hand the logger. */
function logEverything(log: ReturnType<typeof createLogger>) {
  log.info(`connecting to ${RPC_URL} and ${WS_URL}`);
  log.warn(`grpc refused x-token: ${SECRETS.xToken}`, { endpoint: 'grpcs://grpc.example.io:443' });
  log.error('store failed', { db: PG_URL, err: new Error(`connect ${PG_URL} ECONNREFUSED`) });
  log.info('options', {
    rpc: RPC_URL,
    ws: new URL(WS_URL),
    xToken: SECRETS.xToken,
    grpc: { url: `https://grpc.example.io/?x-token=${SECRETS.xToken}`, headers: { 'x-token': SECRETS.xToken } },
    conn: `host=db.internal password=${SECRETS.pgPassword} dbname=solflow`,
    auth: `Authorization: Bearer ${SECRETS.bearer}`,
    list: [RPC_URL, { nested: { deeper: PG_URL } }],
  });
  log.child({ source: WS_URL }).info('reconnected', { attempt: 2 });
}

function expectNoSecret(text: string) {
  for (const [name, secret] of Object.entries(SECRETS)) expect(text, name).not.toContain(secret);
}

describe('JSON logs', () => {
  it('are one parseable object per line with time, level, msg and the fields', () => {
    const out = new Capture();
    const log = createLogger({ stream: out, json: true, now: NOW });
    log.info('gap filled', { from: 100, to: 120, slots: 21, big: 2n ** 70n });
    log.warn('two\nlines', { time: 'field called time' });
    const [a, b] = out.lines().map((l) => JSON.parse(l));
    expect(a).toEqual({ time: '2026-12-04T12:00:00.000Z', level: 'info', msg: 'gap filled', from: 100, to: 120, slots: 21, big: '1180591620717411303424' });
    expect(b).toEqual({ time: '2026-12-04T12:00:00.000Z', level: 'warn', msg: 'two lines', field_time: 'field called time' });
    expect(out.lines()).toHaveLength(2);
  });

  it('never contain an RPC key, a WebSocket path key, an x-token or a database password', () => {
    const out = new Capture();
    logEverything(createLogger({ stream: out, json: true, now: NOW }));
    expect(out.lines()).toHaveLength(5);
    for (const line of out.lines()) JSON.parse(line);
    expectNoSecret(out.text);
    // Redacted, not dropped: the reader still sees which endpoint.
    const first = JSON.parse(out.lines()[0]);
    expect(first.msg).toBe('connecting to https://mainnet.example-rpc.com/?api-key=*** and wss://example.quiknode.pro/***/');
    const options = JSON.parse(out.lines()[3]);
    expect(options.xToken).toBe('***');
    expect(options.grpc.headers['x-token']).toBe('***');
    expect(JSON.parse(out.lines()[2]).err).toBe('connect postgres://***:***@db.internal:5432/solflow ECONNREFUSED');
  });
});

describe('plain logs', () => {
  it('never contain a secret either', () => {
    const out = new Capture();
    logEverything(createLogger({ stream: out, now: NOW }));
    expect(out.lines()).toHaveLength(5);
    expectNoSecret(out.text);
  });

  it('are one line per record: time, level, message, key=value fields; no control characters', () => {
    const out = new Capture();
    const log = createLogger({ stream: out, now: NOW });
    log.info('reconnected', { source: 'websocket', attempt: 2, reason: 'silent for 30 s' });
    log.warn('program log said \x1b[31mred\x1b[0m\nand more\r', { note: 'a\nb' });
    expect(out.lines()).toEqual([
      '2026-12-04T12:00:00.000Z INFO  reconnected source=websocket attempt=2 reason="silent for 30 s"',
      '2026-12-04T12:00:00.000Z WARN  program log said  [31mred [0m and more  note="a\\nb"',
    ]);
    expect(out.text).not.toContain('\x1b');
  });

  it('blank secrets the command knows wherever they appear', () => {
    const out = new Capture();
    const log = createLogger({ stream: out, now: NOW, secrets: [SECRETS.xToken] });
    log.info(`token in an odd place ${SECRETS.xToken}`, { odd: `prefix${SECRETS.xToken}suffix` });
    log.addSecret('LATERSECRET42');
    log.info('later LATERSECRET42');
    expectNoSecret(out.text);
    expect(out.text).not.toContain('LATERSECRET42');
    expect(out.lines()[0]).toContain('odd=prefix***suffix');
  });
});

describe('levels', () => {
  it('drop records below the chosen level', () => {
    const out = new Capture();
    const log = createLogger({ stream: out, level: 'warn', json: true, now: NOW });
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    expect(out.lines().map((l) => JSON.parse(l).level)).toEqual(['warn', 'error']);
  });

  it('parse from the command line', () => {
    expect(parseLevel('DEBUG')).toBe('debug');
    expect(() => parseLevel('loud')).toThrow('log level must be one of debug, info, warn, error, not "loud"');
  });
});
