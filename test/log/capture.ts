import { Writable } from 'node:stream';

/** A stream that keeps what is written; `isTTY`/`columns` make it look like a terminal. */
export class Capture extends Writable {
  chunks: string[] = [];
  isTTY: boolean;
  columns: number | undefined;

  constructor(opts: { isTTY?: boolean; columns?: number } = {}) {
    super();
    this.isTTY = opts.isTTY ?? false;
    this.columns = opts.columns;
  }

  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.chunks.push(chunk.toString());
    done();
  }

  get text(): string {
    return this.chunks.join('');
  }

  lines(): string[] {
    return this.text.split('\n').filter((l) => l !== '');
  }
}
