/**
 * The one error the decoder throws on purpose: the input is not a transaction it can read (a
 * damaged file, a lying RPC). The message is one line naming the field and what is wrong with
 * it, so a backfill or ingest can log it, count it, skip the transaction and go on. Any other
 * error out of the decoder is a bug in the decoder.
 */
export class MalformedTransactionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedTransactionError';
  }
}
