/** `--labels FILE`: a user's labels merged over the shipped ones. */
import { readFile } from 'node:fs/promises';
import { compileLabels, DEFAULT_LABELS_FILE, defaultLabels, type Labels, type LabelsFile } from '../core/labels.js';
import { UsageError } from './errors.js';

export async function loadLabels(path: string | undefined): Promise<Labels> {
  if (!path) return defaultLabels;
  let parsed: LabelsFile;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8')) as LabelsFile;
  } catch (err) {
    throw new UsageError(`cannot read labels file ${path}: ${(err as Error).message}`);
  }
  try {
    return compileLabels(DEFAULT_LABELS_FILE, parsed);
  } catch (err) {
    throw new UsageError(`${path}: ${(err as Error).message}`);
  }
}
