/** Sizes as people read them in one-line summaries and errors: 3 significant digits, decimal MB. */
export function megabytes(bytes: number): string {
  const v = bytes / 1e6;
  return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} MB`;
}
