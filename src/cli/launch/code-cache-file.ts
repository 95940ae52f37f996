/**
 * A V8 code cache kept beside one bundle file (`main.cjs` → `main.cjs.v8cache`): a one-line header
 * naming what the cache was made from, then the bytes `vm.Script#createCachedData()` gave.
 *
 * V8 checks cached data only loosely: its own version, its flags, and the source's LENGTH, not
 * its text, and release builds skip the checksum. So a cache made from other source of the same
 * length (a hand edit of the bundle, a copy from another build) would be accepted and run stale
 * code, and a damaged file could reach the deserializer. The header guards both: the source file's
 * size and modification time (an edit or a rebuild changes them), Node's version and platform,
 * and the payload's length (a truncated write). Hashing the source would be stronger but costs
 * ~5 ms to load node:crypto, a third of what the cache saves.
 */
import { closeSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';

const MAGIC = 'solflow-v8-code-cache/1';

/** What a cache has to have been made from to be used for `sourceFile` in this process. */
export function cacheKey(sourceFile: string): string {
  const st = statSync(sourceFile);
  return `${MAGIC} ${st.size} ${st.mtimeMs} ${process.version} ${process.versions.v8} ${process.platform}-${process.arch}`;
}

export function cachePath(sourceFile: string): string {
  return `${sourceFile}.v8cache`;
}

/**
 * The cached data for `key`, or undefined when the file is missing, unreadable, made from other
 * source or by another Node, or cut short. Never throws.
 */
export function readCodeCache(path: string, key: string): Buffer | undefined {
  let file: Buffer;
  try {
    file = readFileSync(path);
  } catch {
    return undefined;
  }
  const eol = file.indexOf(10);
  if (eol < 0 || eol > 512) return undefined;
  const header = file.toString('latin1', 0, eol);
  const space = header.lastIndexOf(' ');
  if (header.slice(0, space) !== key) return undefined;
  const payload = file.subarray(eol + 1);
  return payload.length > 0 && String(payload.length) === header.slice(space + 1) ? payload : undefined;
}

/**
 * Writes the data `make` gives under `key`, whole or not at all (a temporary file renamed over the
 * old one, so a reader in another process never sees half a cache). `make` is called only once
 * the temporary file is open: where nothing can be written (a read-only install, a full disk)
 * the cache is not made for nothing. Returns false, quietly, when it cannot write.
 */
export function writeCodeCache(path: string, key: string, make: () => Buffer): boolean {
  const tmp = `${path}.${process.pid}.tmp`;
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w');
    const data = make();
    writeFileSync(fd, Buffer.concat([Buffer.from(`${key} ${data.length}\n`, 'latin1'), data]));
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
    return true;
  } catch {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // never created
    }
    return false;
  }
}
