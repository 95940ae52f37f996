/** `query trades --format csv` output, cut at a slot (the live database may hold trades past its cursor). */
/** The CSV rows whose slot column is at or below `cursor` (the header kept). */
export function filterCsvToSlot(csv: string, cursor: number): string {
  const lines = csv.split('\n');
  const header = lines[0].split(',');
  const at = header.indexOf('slot');
  if (at < 0) throw new Error(`no slot column in ${lines[0]}`);
  return [lines[0], ...lines.slice(1).filter((l) => l === '' || Number(l.split(',')[at]) <= cursor)].join('\n');
}
