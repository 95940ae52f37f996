/**
 * The built CLI's loader (src/cli/launch/load-bundle.ts, built to dist/bundle/launch.cjs) and its
 * V8 code caches: a bundle loaded with a cache runs as one loaded without, and a cache that is
 * missing, damaged, made from other source or impossible to write is never a reason to fail or
 * to print anything. Each case runs the loader in a fresh node, on a small bundle of its own.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheKey, readCodeCache, writeCodeCache } from '../../src/cli/launch/code-cache-file.js';
import { ROOT } from './run.js';

const LAUNCH = join(ROOT, 'dist', 'bundle', 'launch.cjs');
const root = mkdtempSync(join(tmpdir(), 'solflow-code-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** A bundle as the build lays one out: an entry that requires a chunk and imports a builtin. */
function bundle(): string {
  const dir = join(root, `b${n++}`);
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'main.cjs'),
    `'use strict';
const chunk = require('./chunk.cjs');
exports.run = async () => {
  const os = await __import('node:os');
  return chunk.greet(typeof os.platform()) + ' ' + [1, 2, 3].map((x) => chunk.square(x)).join(',');
};
`,
  );
  writeFileSync(join(dir, 'chunk.cjs'), `'use strict';\nexports.greet = (w) => 'hello ' + w;\nexports.square = (x) => x * x;\n`);
  return dir;
}

/** `node` loading `dir`'s main.cjs through the loader and printing what run() answers. */
function load(dir: string, mode?: string) {
  const code = `const { bundleRequire } = require(${JSON.stringify(LAUNCH)});
bundleRequire(${JSON.stringify(dir)}, ${JSON.stringify(mode ?? 'use')}, (s) => import(s))('./main.cjs').run().then((r) => process.stdout.write(r));`;
  const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const EXPECTED = 'hello string 1,4,9';
const cacheOf = (dir: string) => join(dir, 'main.cjs.v8cache');

describe('the bundle loader', () => {
  it('makes a cache for each file it loaded when there is none, and uses it from then on', () => {
    const dir = bundle();
    expect(load(dir)).toEqual({ code: 0, stdout: EXPECTED, stderr: '' });
    const made = statSync(cacheOf(dir)).mtimeMs;
    expect(statSync(join(dir, 'chunk.cjs.v8cache')).size).toBeGreaterThan(0);
    expect(readCodeCache(cacheOf(dir), cacheKey(join(dir, 'main.cjs')))).toBeInstanceOf(Buffer);
    expect(load(dir)).toEqual({ code: 0, stdout: EXPECTED, stderr: '' });
    // accepted, so not written again
    expect(statSync(cacheOf(dir)).mtimeMs).toBe(made);
  });

  it('neither reads nor writes a cache with SOLFLOW_CODE_CACHE=off', () => {
    const dir = bundle();
    expect(load(dir, 'off')).toEqual({ code: 0, stdout: EXPECTED, stderr: '' });
    expect(readdirSync(dir).sort()).toEqual(['chunk.cjs', 'main.cjs']);
  });

  it('runs the source, not a cache made from other source, and makes the cache again', () => {
    const dir = bundle();
    load(dir);
    const before = readFileSync(cacheOf(dir));
    // The same length, so V8's own check (it compares lengths) would take the old cache.
    const main = join(dir, 'main.cjs');
    writeFileSync(main, readFileSync(main, 'utf8').replace("' ' + [1, 2, 3]", "'-' + [1, 2, 3]"));
    expect(load(dir)).toEqual({ code: 0, stdout: 'hello string-1,4,9', stderr: '' });
    expect(readFileSync(cacheOf(dir)).equals(before)).toBe(false);
    expect(load(dir).stdout).toBe('hello string-1,4,9');
  });

  it('compiles as usual from a cache that is damaged, cut short or refused by V8', () => {
    const dir = bundle();
    load(dir);
    const key = cacheKey(join(dir, 'main.cjs'));
    const good = readCodeCache(cacheOf(dir), key)!;
    // Well-formed header, payload of the right length but not V8's: V8 refuses it.
    writeCodeCache(cacheOf(dir), key, () => Buffer.alloc(good.length, 0xab));
    expect(load(dir)).toEqual({ code: 0, stdout: EXPECTED, stderr: '' });
    // Cut short: the header's length does not match.
    writeFileSync(cacheOf(dir), readFileSync(cacheOf(dir)).subarray(0, 100));
    expect(readCodeCache(cacheOf(dir), key)).toBeUndefined();
    expect(load(dir)).toEqual({ code: 0, stdout: EXPECTED, stderr: '' });
    // Not a cache at all.
    writeFileSync(cacheOf(dir), 'garbage');
    expect(load(dir)).toEqual({ code: 0, stdout: EXPECTED, stderr: '' });
    expect(readCodeCache(cacheOf(dir), key)).toBeInstanceOf(Buffer); // made again at exit
  });

  it('carries on quietly where no cache can be written', () => {
    const dir = bundle();
    // A directory where the cache file would go: neither readable as a cache nor replaceable.
    mkdirSync(cacheOf(dir));
    expect(load(dir)).toEqual({ code: 0, stdout: EXPECTED, stderr: '' });
    expect(load(dir)).toEqual({ code: 0, stdout: EXPECTED, stderr: '' });
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('takes a cache only for the file it was made from: a touched file is compiled anew', () => {
    const dir = bundle();
    load(dir);
    const main = join(dir, 'main.cjs');
    const key = cacheKey(main);
    utimesSync(main, new Date(), new Date(Date.now() + 5000));
    expect(readCodeCache(cacheOf(dir), cacheKey(main))).toBeUndefined();
    expect(cacheKey(main)).not.toBe(key);
    expect(load(dir)).toEqual({ code: 0, stdout: EXPECTED, stderr: '' });
    expect(readCodeCache(cacheOf(dir), cacheKey(main))).toBeInstanceOf(Buffer);
  });
});
