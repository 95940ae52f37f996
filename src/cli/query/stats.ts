/** `query stats`: row counts, size, time and slots covered, schema version. */
import { EXIT } from '../errors.js';
import { withReader } from '../with-db.js';
import { groupDigits, isoTime, makeTable } from '../format.js';
import { parseFormat } from '../options.js';
import { csvField } from '../output.js';
import { isoOrNull, out, type DataOpts } from './common.js';

export async function runStats(opts: DataOpts): Promise<number> {
  const format = parseFormat(opts);
  return withReader(opts.db, async (store) => {
    const s = await store.reports.storeStats();
    const flat: Record<string, string | number | null> = {
      path: s.path,
      schema_version: s.schemaVersion,
      db_bytes: s.fileBytes,
      wal_bytes: s.walBytes,
      shm_bytes: s.shmBytes,
      total_bytes: s.fileBytes + s.walBytes + s.shmBytes,
      ...Object.fromEntries(Object.entries(s.rows).map(([t, n]) => [`rows_${t}`, n])),
      mints: s.mints,
      wallets: s.wallets,
      first_trade: isoOrNull(s.firstTradeTime),
      last_trade: isoOrNull(s.lastTradeTime),
      first_slot: s.firstSlot,
      last_slot: s.lastSlot,
      trades_without_time: s.tradesWithoutTime,
      metrics_as_of: isoOrNull(s.metricsAsOf),
    };
    if (format === 'json') out(JSON.stringify(flat) + '\n');
    else if (format === 'csv') out(`${Object.keys(flat).map(csvField).join(',')}\n${Object.values(flat).map(csvField).join(',')}\n`);
    else {
      const table = makeTable(['stat', 'value']);
      const mb = (b: number) => `${(b / 1024 / 1024).toFixed(2)} MB`;
      table.push(['database', s.path], ['schema version', String(s.schemaVersion)]);
      table.push(['size', `${mb(s.fileBytes + s.walBytes + s.shmBytes)} (file ${mb(s.fileBytes)}, wal ${mb(s.walBytes)}, shm ${mb(s.shmBytes)})`]);
      for (const [t, n] of Object.entries(s.rows)) table.push([`rows: ${t}`, groupDigits(n)]);
      table.push(['distinct mints / wallets', `${groupDigits(s.mints)} / ${groupDigits(s.wallets)}`]);
      table.push(['chain time covered', s.firstTradeTime === null ? '-' : `${isoTime(s.firstTradeTime)} .. ${isoTime(s.lastTradeTime)}`]);
      table.push(['slots covered', s.firstSlot === null ? '-' : `${s.firstSlot} .. ${s.lastSlot}`]);
      if (s.tradesWithoutTime > 0) table.push(['trades without block time', String(s.tradesWithoutTime)]);
      table.push(['metrics as of', isoTime(s.metricsAsOf)]);
      out(table.toString() + '\n');
    }
    return EXIT.ok;
  });
}

