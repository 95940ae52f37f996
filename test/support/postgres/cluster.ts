/**
 * A throwaway PostgreSQL cluster for tests and benches: Debian's `postgresql` package binaries,
 * a temp directory, a free port on 127.0.0.1, a password-protected superuser (so the password
 * redaction paths see a real password), stopped and deleted by stop().
 *
 * PostgreSQL refuses to run as root and the tests run as root in CI, so when we are root every
 * server command runs as the `postgres` system user the package creates (runuser), in a temp
 * directory chowned to it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export interface Cluster {
  /** postgres://user:password@127.0.0.1:port/postgres (the maintenance database). */
  url: string;
  port: number;
  user: string;
  password: string;
  dir: string;
  stop(): void;
}

export interface ClusterOptions {
  /**
   * Durable commits (fsync, synchronous_commit, full_page_writes on). Off by default: tests want
   * a fast server and lose nothing if the machine dies. Benches turn it on.
   */
  durable?: boolean;
}

export class PostgresUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PostgresUnavailableError';
  }
}

/** The newest /usr/lib/postgresql/N/bin holding initdb, or PG_BIN when set. */
export function findPgBin(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PG_BIN) {
    if (!existsSync(join(env.PG_BIN, 'initdb'))) throw new PostgresUnavailableError(`PG_BIN=${env.PG_BIN} has no initdb`);
    return env.PG_BIN;
  }
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root).filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new PostgresUnavailableError(
      'PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): the Postgres store suites cannot run. ' +
        'Install Debian\'s postgresql package (.ci/run does), set PG_BIN, or point SOLFLOW_TEST_PG_URL at a server.',
    );
  }
  return join(root, versions[0], 'bin');
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** The system user the server runs as when we are root. */
function serverUser(): { name: string; uid: number; gid: number } | null {
  if (userInfo().uid !== 0) return null;
  const r = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (r.status !== 0 || g.status !== 0) {
    throw new PostgresUnavailableError('running as root and there is no `postgres` system user to run the server as (PostgreSQL refuses root)');
  }
  return { name: 'postgres', uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

export async function startCluster(opts: ClusterOptions = {}): Promise<Cluster> {
  const bin = findPgBin();
  const runAs = serverUser();
  const dir = mkdtempSync(join(tmpdir(), 'solflow-pg-'));
  const owned = (path: string) => {
    if (runAs) chownSync(path, runAs.uid, runAs.gid);
  };
  owned(dir);
  const run = (cmd: string, args: string[]) => {
    const [file, argv] = runAs ? ['runuser', ['-u', runAs.name, '--', join(bin, cmd), ...args]] : [join(bin, cmd), args];
    try {
      execFileSync(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    } catch (err) {
      const e = err as { stderr?: string; stdout?: string; message: string };
      const log = existsSync(join(dir, 'server.log')) ? readFileSync(join(dir, 'server.log'), 'utf8').slice(-2000) : '';
      throw new PostgresUnavailableError(`${cmd} failed: ${e.stderr || e.stdout || e.message}\n${log}`);
    }
  };
  const user = 'solflow_test';
  // Characters that must be percent-encoded in a URL, so a redaction that only matched plain
  // text would miss it.
  const password = `pw-${randomBytes(6).toString('hex')}@x`;
  const pwfile = join(dir, 'pwfile');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  owned(pwfile);
  const data = join(dir, 'data');
  try {
    run('initdb', ['-D', data, '-U', user, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-sync']);
    rmSync(pwfile);
    const port = await freePort();
    const settings = [
      `-p ${port}`,
      `-k ${dir}`,
      '-c listen_addresses=127.0.0.1',
      '-c max_connections=200',
      '-c shared_buffers=128MB',
      ...(opts.durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
    ].join(' ');
    run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', settings, '-w', '-t', '30', 'start']);
    const url = `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
    let stopped = false;
    return {
      url,
      port,
      user,
      password,
      dir,
      stop() {
        if (stopped) return;
        stopped = true;
        try {
          run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
