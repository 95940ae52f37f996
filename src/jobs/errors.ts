/**
 * What a job can refuse, for the caller to tell apart: the request cannot work as given
 * (`input`: a range past the tip, an empty time span), or another process runs the same job
 * (`busy`: try again later). The CLI maps them to exit codes 2 and 75.
 */
export class JobError extends Error {
  readonly kind: 'input' | 'busy';
  constructor(kind: 'input' | 'busy', message: string) {
    super(message);
    this.name = 'JobError';
    this.kind = kind;
  }
}
