/**
 * Hide RPC credentials before a URL reaches a log line, an error message or a stored row.
 * Providers put keys in the query (`?api-key=`), in userinfo, or as a long path segment.
 */
const SECRET_PARAM = /key|token|secret|auth|password|pass|sig/i;

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
  const replaced = text.replace(/\b(?:https?|wss?|postgres(?:ql)?):\/\/[^\s"'<>)]+/gi, (m) =>
    recurse ? redactUrl(m) : m,
  );
  return replaced
    .replace(/([?&](?:api[-_]?key|token|secret|auth)=)[^&\s"']+/gi, '$1***')
    .replace(/(\bpassword\s*=\s*)(?!\*\*\*)[^&\s"']+/gi, '$1***');
}
