/**
 * Signed values as a one-line bar chart. The scale runs from min(0, lowest) to max(0, highest),
 * so a slice of zero flow sits at the baseline and outflow reads lower than inflow.
 */
const BARS = '▁▂▃▄▅▆▇█';

export function sparkline(values: readonly number[], width: number): string {
  if (width <= 0 || values.length === 0) return '';
  const v = values.length > width ? downsample(values, width) : values;
  let lo = 0;
  let hi = 0;
  for (const x of v) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  if (hi === lo) return BARS[0].repeat(v.length);
  const top = BARS.length - 1;
  return v.map((x) => BARS[Math.round(((x - lo) / (hi - lo)) * top)]).join('');
}

/** Sum adjacent slices into `width` buckets (flow adds up; averaging would hide it). */
function downsample(values: readonly number[], width: number): number[] {
  const out = new Array<number>(width).fill(0);
  for (let i = 0; i < values.length; i++) out[Math.floor((i * width) / values.length)] += values[i];
  return out;
}
