/**
 * Which RPC endpoint to use: `--rpc URL|MONIKER` (monikers as in the solana CLI's `-u`), then
 * SOLFLOW_RPC_URL, then the ecosystem's SOLANA_RPC_URL / RPC_URL, then the solana CLI config's
 * json_rpc_url, then public mainnet-beta with a warning (it allows ~4 getTransaction/s).
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const CLUSTERS: Record<string, string> = {
  'mainnet-beta': 'https://api.mainnet-beta.solana.com',
  devnet: 'https://api.devnet.solana.com',
  testnet: 'https://api.testnet.solana.com',
  localhost: 'http://127.0.0.1:8899',
};

const SHORT: Record<string, string> = { m: 'mainnet-beta', mainnet: 'mainnet-beta', d: 'devnet', t: 'testnet', l: 'localhost' };

export interface ResolvedEndpoint {
  url: string;
  from: 'flag' | 'env' | 'solana-config' | 'default';
  warning?: string;
}

export class EndpointError extends Error {}

function expandMoniker(value: string): string {
  const v = value.trim();
  const name = SHORT[v] ?? v;
  if (CLUSTERS[name]) return CLUSTERS[name];
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new EndpointError(`bad RPC endpoint '${v}': expected a URL or one of mainnet-beta, devnet, testnet, localhost`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new EndpointError(`bad RPC endpoint: ${url.protocol} is not http(s)`);
  }
  return v;
}

export function resolveEndpoint(flag: string | undefined, env: NodeJS.ProcessEnv = process.env, configPath?: string): ResolvedEndpoint {
  if (flag) return { url: expandMoniker(flag), from: 'flag' };
  const fromEnv = env.SOLFLOW_RPC_URL || env.SOLANA_RPC_URL || env.RPC_URL;
  if (fromEnv) return { url: expandMoniker(fromEnv), from: 'env' };
  const fromConfig = readSolanaConfig(configPath ?? join(homedir(), '.config', 'solana', 'cli', 'config.yml'));
  if (fromConfig) return { url: expandMoniker(fromConfig), from: 'solana-config' };
  return {
    url: CLUSTERS['mainnet-beta'],
    from: 'default',
    warning: 'no RPC endpoint given (--rpc or SOLFLOW_RPC_URL); using public mainnet-beta, which allows about 4 getTransaction/s and is not meant for backfills',
  };
}

function readSolanaConfig(path: string): string | null {
  try {
    const m = /^json_rpc_url:\s*["']?([^"'\s]+)["']?\s*$/m.exec(readFileSync(path, 'utf8'));
    return m ? m[1] : null;
  } catch {
    return null;
  }
}
