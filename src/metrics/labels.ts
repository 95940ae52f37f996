/**
 * Label values for the metrics: bounded and free of secrets. Every distinct label value is a
 * separate series that Prometheus keeps for weeks, so a value built from an error message (with a
 * slot number, a signature, or an endpoint URL and its API key in it) would both leak the key and
 * grow the series without bound. Values pass through here before they reach prom-client.
 */
import { redactText } from '../util/redact.js';

export const OTHER = 'other';

/** A label from a fixed vocabulary: anything outside it is counted as 'other'. */
export function oneOf<T extends string>(allowed: readonly T[]): (value: unknown) => T | typeof OTHER {
  const set = new Set<string>(allowed);
  return (value) => (typeof value === 'string' && set.has(value) ? (value as T) : OTHER);
}

const URL_LIKE = /\b[a-z][a-z0-9+.-]*:\/\/\S*/gi;
const HOST_PATH = /\b[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?\/\S*/gi;
/**
 * Signatures, addresses and tokens: very long base58/hex/base64-ish runs, or shorter ones that
 * mix letters and digits (words and snake_case reasons do not).
 */
const LONG_ID = /[A-Za-z0-9+/=_-]{40,}|\b(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{16,}\b/g;

/**
 * Reduce free text (a failure reason, a skip kind) to a short label: URLs become `url`, long
 * identifiers `id`, numbers `n`, the rest a lower-case slug. What remains cannot carry a secret
 * or a per-item value.
 */
export function labelSlug(value: unknown, maxLength = 48): string {
  const text = redactText(String(value ?? ''))
    .replace(URL_LIKE, ' url ')
    .replace(HOST_PATH, ' url ')
    .replace(LONG_ID, ' id ')
    .replace(/\d+(?:\.\d+)?/g, 'n')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return text.slice(0, maxLength).replace(/_+$/, '') || 'unknown';
}

/**
 * A label for free-ish values: slugged, and capped at `maxDistinct` values per guard (the first
 * ones seen keep their name, later new ones are 'other'), so a stream of odd failures cannot
 * explode the series count.
 */
export function labelGuard(maxDistinct = 24): (value: unknown) => string {
  const seen = new Set<string>();
  return (value) => {
    const slug = labelSlug(value);
    if (seen.has(slug)) return slug;
    if (seen.size >= maxDistinct) return OTHER;
    seen.add(slug);
    return slug;
  };
}
