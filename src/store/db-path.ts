/** Which database a command means: --db beats SOLFLOW_DB beats ./solflow.db. */
export const DEFAULT_DB_PATH = './solflow.db';

export function resolveDbPath(cliValue?: string | null, env: NodeJS.ProcessEnv = process.env): string {
  if (cliValue) return cliValue;
  if (env.SOLFLOW_DB) return env.SOLFLOW_DB;
  return DEFAULT_DB_PATH;
}

/** A postgres:// (or postgresql://) URL rather than a file path. */
export const isPostgresUrl = (db: string): boolean => /^postgres(ql)?:\/\//i.test(db);
