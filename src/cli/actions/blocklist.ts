/**
 * `solflow blocklist add|remove|list`: mints that `query` leaves out unless --include-blocked.
 * Writes open the database writable (creating it if needed, like any writer); list reads it
 * read-only. Running ingests read the blocklist when they start, so changes reach them at their
 * next start.
 */
import type { BlockedMint } from '../../core/store/types.js';
import { EXIT, UsageError } from '../errors.js';
import { parseAddress, parseFormat } from '../options.js';
import { plural } from '../format.js';
import { renderRows, type Column } from '../output.js';
import { out } from '../stdout.js';
import { withReader, withWriter } from '../with-db.js';

const RESTART_NOTE = 'running ingests pick this up when they next start';

function say(line: string): void {
  process.stderr.write(line + '\n');
}

export async function runAdd(mintArg: string, opts: { reason?: string; db?: string }): Promise<number> {
  const mint = parseAddress('mint', mintArg);
  const reason = opts.reason?.trim() || null;
  if (reason !== null && reason.length > 500) throw new UsageError('--reason is longer than 500 characters');
  return withWriter(opts.db, async (store) => {
    const r = await store.blocklist.add(mint, reason);
    if (r.added) say(`blocked ${mint}${reason ? ` (${reason})` : ''}; ${RESTART_NOTE}`);
    else if (r.reasonChanged) say(`${mint} was already blocked; reason now: ${reason}`);
    else say(`${mint} was already blocked (since ${new Date(r.entry.addedAt).toISOString()})`);
    return EXIT.ok;
  });
}

export async function runRemove(mintArg: string, opts: { db?: string }): Promise<number> {
  const mint = parseAddress('mint', mintArg);
  // Removing from a database that does not exist would create one just to find nothing.
  return withWriter(
    opts.db,
    async (store) => {
      const removed = await store.blocklist.remove(mint);
      say(removed ? `unblocked ${mint}; ${RESTART_NOTE}` : `${mint} was not blocked`);
      return EXIT.ok;
    },
    { mustExist: true },
  );
}

const COLUMNS: Column<BlockedMint>[] = [
  { key: 'mint', value: (b) => b.mint },
  { key: 'reason', value: (b) => b.reason },
  { key: 'added', value: (b) => new Date(b.addedAt).toISOString() },
];

export async function runList(opts: { db?: string; format?: string; json?: boolean }): Promise<number> {
  const format = parseFormat(opts);
  return withReader(opts.db, async (store) => {
    const rows = await store.blocklist.list();
    out(renderRows(rows, COLUMNS, format));
    if (format === 'table') say(plural(rows.length, 'blocked mint'));
    return EXIT.ok;
  });
}
