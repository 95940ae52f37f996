/**
 * The width tables must fit, and `--wide`. Apart from format.ts so that setting the flag (every
 * command does, before its action) does not load cli-table3 for commands that draw no table.
 */
let wideTables = false;

/** `--wide`: every column in full, whatever the terminal's width. */
export function setWideTables(wide: boolean): void {
  wideTables = wide;
}

/** The width tables must fit: the terminal's, and none (no cutting) off a TTY or with --wide. */
export function tableWidth(stream: NodeJS.WriteStream = process.stdout): number {
  if (wideTables || !stream.isTTY) return Infinity;
  return stream.columns && stream.columns > 0 ? stream.columns : 80;
}
