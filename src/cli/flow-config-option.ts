/**
 * `--flow-config FILE` (env SOLFLOW_FLOW_CONFIG): the flow engine's thresholds from a JSON file
 * shaped like its defaults (`solflow flow-config` prints them), any subset of keys. A key the
 * engine does not know, or a value that is not a non-negative number, is a usage error naming
 * it: a typo must not silently leave a default in force.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_OPTIONS, mergeOptions, type EngineOptionsInput } from '../core/flow/options.js';
import { UsageError } from './errors.js';

/** The defaults as a user edits them (blockedMints comes from `solflow blocklist`). */
export function defaultFlowConfig(): Record<string, unknown> {
  const { blockedMints: _ignored, ...rest } = DEFAULT_OPTIONS;
  return rest;
}

export function loadFlowConfig(path: string | undefined, env: NodeJS.ProcessEnv = process.env): EngineOptionsInput | undefined {
  const file = path ?? env.SOLFLOW_FLOW_CONFIG;
  if (!file) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`cannot read flow config ${file}: ${(err as Error).message}`);
  }
  checkShape(parsed, defaultFlowConfig(), file, '');
  const input = parsed as EngineOptionsInput;
  try {
    mergeOptions(input);
  } catch (err) {
    throw new UsageError(`${file}: ${(err as Error).message}`);
  }
  return input;
}

function checkShape(value: unknown, like: unknown, file: string, at: string): void {
  if (typeof like === 'number') {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new UsageError(`${file}: ${at} must be a non-negative number (default ${like})`);
    return;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new UsageError(`${file}: ${at || 'the file'} must be an object like the defaults (see solflow flow-config)`);
  const known = like as Record<string, unknown>;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const path = at ? `${at}.${k}` : k;
    if (!(k in known)) throw new UsageError(`${file}: unknown setting ${path}; known here: ${Object.keys(known).join(', ')}`);
    checkShape(v, known[k], file, path);
  }
}
