/**
 * Terminal sparklines: one row of block characters, enough to see a trend or a spike at a
 * glance beside the exact numbers in the tables.
 */

const BLOCKS = '▁▂▃▄▅▆▇█';

/** Values scaled between their min and max (a flat series is a flat low line). */
export function sparkline(values: readonly number[]): string {
  if (values.length === 0) return '';
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const span = max - min;
  return values.map((v) => BLOCKS[span === 0 ? 0 : Math.min(BLOCKS.length - 1, Math.floor(((v - min) / span) * BLOCKS.length))]).join('');
}

/**
 * Fits a series into `width` columns: each column is the sum (for amounts per period) or the
 * last value (for running totals) of the points it covers.
 */
export function resample(values: readonly number[], width: number, how: 'sum' | 'last'): number[] {
  if (values.length <= width) return [...values];
  const out: number[] = [];
  for (let c = 0; c < width; c++) {
    const from = Math.floor((c * values.length) / width);
    const to = Math.floor(((c + 1) * values.length) / width);
    if (how === 'last') out.push(values[to - 1]);
    else {
      let s = 0;
      for (let i = from; i < to; i++) s += values[i];
      out.push(s);
    }
  }
  return out;
}
