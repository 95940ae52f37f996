/**
 * Hide RPC credentials before a URL reaches a log line, an error message or a stored row.
 * Providers put keys in the query (`?api-key=`), in userinfo, or as a long path segment.
 * Yellowstone endpoints take an `x-token` header, and PostgreSQL URLs carry `user:password@`.
 */
const SECRET_PARAM = /key|token|secret|auth|password|pass|sig/i;

/** Schemes whose URLs may carry credentials: RPC, pubsub, gRPC, and the Postgres store. */
const URL_IN_TEXT = /\b(?:https?|wss?|grpcs?|postgres(?:ql)?):\/\/[^\s"'<>)]+/gi;

export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return redactText(raw, false);
  }
  if (url.username) url.username = '***';
  if (url.password) url.password = '***';
  for (const name of [...url.searchParams.keys()]) {
    if (SECRET_PARAM.test(name)) url.searchParams.set(name, '***');
  }
  url.pathname = url.pathname
    .split('/')
    .map((seg) => (seg.length >= 20 || /^[0-9a-f]{16,}$/i.test(seg) ? '***' : seg))
    .join('/');
  // URLSearchParams percent-encodes the stars; keep them readable.
  return url.toString().replace(/%2A%2A%2A/g, '***');
}

/**
 * Redact every URL found inside free text (error messages often embed the endpoint), database
 * URLs (postgres://user:password@…) included, and a libpq-style `password=…` setting.
 */
export function redactText(text: string, recurse = true): string {
  const replaced = text.replace(URL_IN_TEXT, (m) => (recurse ? redactUrl(m) : m));
  return (
    replaced
      .replace(/([?&](?:api[-_]?key|token|secret|auth)=)[^&\s"']+/gi, '$1***')
      // A header quoted in a message or a dumped options object: `x-token: abc`, `"x-token":"abc"`.
      .replace(/(\bx-token["']?\s*[:=]\s*["']?)[^\s"',;&}]+/gi, '$1***')
      .replace(/(\bauthorization["']?\s*[:=]\s*["']?(?:bearer|basic)\s+)[^\s"',;&}]+/gi, '$1***')
      // libpq keyword form: `host=db password=hunter2`.
      .replace(/(\b(?:password|passwd)\s*=\s*)('[^']*'|[^\s&;]+)/gi, '$1***')
  );
}

/**
 * Replace literal occurrences of values known to be secret (an x-token given on the command
 * line, a password read from the environment), wherever they appear: the patterns above only
 * catch secrets in the places providers usually put them.
 */
export function redactKnown(text: string, secrets: readonly string[]): string {
  let out = text;
  // Longest first, so a secret containing another is not half-replaced.
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) {
    // Very short values would blank ordinary words; they are not credentials anyway.
    if (s.length < 6) continue;
    out = out.split(s).join('***');
  }
  return out;
}
