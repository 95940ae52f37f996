/**
 * A Yellowstone (Geyser) gRPC replay server on 127.0.0.1 for tests, benches and `solflow demo`.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export { loadDump, dumpToInfo } from './dump.js';

/** Real recorded Yellowstone transaction updates (their getTransaction twins are in fixtures/tx). */
export const RAW_GRPC_DIR = join(dirname(fileURLToPath(import.meta.url)), 'raw-grpc');
