/**
 * COPY … FROM STDIN (the writer's staging table, the bench's ceiling) through node-postgres's submittable hook
 * (pg itself has no COPY API): the client hands the query this object, the server answers
 * CopyInResponse, we send the data as CopyData chunks and CopyDone, then wait for the command to
 * complete. Text format: tab-separated, \N for NULL, backslash escapes.
 */
import type pg from 'pg';

interface Connection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

export function copyText(values: unknown[]): string {
  return values
    .map((v) => (v === null || v === undefined ? '\\N' : String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')))
    .join('\t');
}

class CopyIn {
  private resolve!: (rows: number) => void;
  private reject!: (err: Error) => void;
  private rows = 0;
  readonly done = new Promise<number>((res, rej) => {
    this.resolve = res;
    this.reject = rej;
  });

  constructor(private readonly text: string, private readonly chunks: Buffer[]) {}

  submit(connection: Connection): void {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: Connection): void {
    for (const c of this.chunks) connection.sendCopyFromChunk(c);
    connection.endCopyFrom();
  }

  handleCommandComplete(msg: { text: string }): void {
    this.rows = Number(/(\d+)$/.exec(msg.text)?.[1] ?? 0);
  }

  /** pg stops routing messages to a query once it has failed, so settle now, not at ReadyForQuery. */
  handleError(err: Error): void {
    this.reject(err);
  }

  handleReadyForQuery(): void {
    this.resolve(this.rows);
  }
}

/** Runs `COPY table (columns) FROM STDIN` with the given lines (already in copyText form); returns rows copied. */
export async function copyFrom(client: pg.PoolClient | pg.Client, table: string, columns: readonly string[], lines: string[]): Promise<number> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < lines.length; i += 5000) chunks.push(Buffer.from(`${lines.slice(i, i + 5000).join('\n')}\n`));
  const op = new CopyIn(`COPY ${table} (${columns.join(', ')}) FROM STDIN`, chunks);
  (client as unknown as { query(q: unknown): unknown }).query(op);
  return op.done;
}
