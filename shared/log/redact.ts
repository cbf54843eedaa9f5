/**
 * Redaction of credentials before anything is logged. kubectl hides bearer tokens in -v 6+ request
 * dumps (transport/round_trippers.go maskValue); we go further and never print Secret values at
 * any level, because a backup tool reads many Secrets and a pasted log must be safe to share.
 */

/** redactedValue replaces every hidden value; fixed text so diffs of logs stay readable. */
export const redactedValue = '<redacted>';

// Keys whose values are credentials wherever they appear (kubeconfig users, exec-plugin output,
// HTTP headers, helm values). Compared case-insensitively with '-' and '_' removed.
const sensitiveKeys = new Set([
  'authorization',
  'proxyauthorization',
  'token',
  'bearertoken',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'password',
  'passwd',
  'clientkey',
  'clientkeydata',
  'keydata',
  'privatekey',
  'secret',
  'clientsecret',
  'apikey',
  'cookie',
  'setcookie',
]);

function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

/** isSensitiveKey reports whether values under this key are always hidden. */
export function isSensitiveKey(key: string): boolean {
  return sensitiveKeys.has(normaliseKey(key));
}

const stringRules: ReadonlyArray<[RegExp, string]> = [
  // PEM private keys, whatever their type (RSA, EC, PKCS#8, encrypted).
  [/-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]*?(-----END \1PRIVATE KEY-----|$)/g, redactedValue],
  // "Authorization: Bearer x", "authorization=Basic y" in header dumps; the scheme is kept as kubectl does.
  [/\b((?:proxy-)?authorization)(["']?\s*[:=]\s*["']?)(bearer|basic)\s+[^\s"',;]+/gi, `$1$2$3 ${redactedValue}`],
  [/\b((?:proxy-)?authorization)(["']?\s*[:=]\s*["']?)(?!bearer|basic)[^\s"',;]+/gi, `$1$2${redactedValue}`],
  // A bare "Bearer <token>" anywhere else (error messages, curl lines).
  [/\b(bearer)\s+(?!<redacted>)[A-Za-z0-9\-._~+/]+=*/gi, `$1 ${redactedValue}`],
  // key: value / key=value / "key":"value" for credential keys (YAML, query strings, JSON text).
  [
    /(["']?)(?<![/.])\b(token|id-token|refresh-token|access[-_]token|password|passwd|client-key-data|client-key|client_secret|client-secret|api[-_]key)\1(\s*[:=]\s*)(["']?)(?!<redacted>)[^\s"',&}]+\4/gi,
    `$1$2$1$3$4${redactedValue}$4`,
  ],
  // user:password@host in URLs.
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:)[^/\s@]+@/gi, `$1${redactedValue}@`],
];

function redactText(text: string): string {
  const trimmed = text.trim();
  // Response bodies logged at -v 8 are JSON text: redact them structurally so Secret data is caught.
  if ((trimmed.startsWith('{') && trimmed.endsWith('}')) || (trimmed.startsWith('[') && trimmed.endsWith(']'))) {
    try {
      return JSON.stringify(redactValue(JSON.parse(trimmed) as unknown, new WeakSet(), false));
    } catch {
      // Not JSON after all: fall through to the text rules.
    }
  }
  let result = text;
  for (const [pattern, replacement] of stringRules) result = result.replace(pattern, replacement);
  return result;
}

function hideMapValues(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return redactedValue;
  // Keep the keys: which entries a Secret has is useful and not secret.
  return Object.fromEntries(Object.keys(value).map((key) => [key, redactedValue]));
}

function redactValue(value: unknown, seen: WeakSet<object>, inSecretList: boolean): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, seen, inSecretList));
  if (value instanceof Error) return redactText(value.message);
  const record = value as Record<string, unknown>;
  // Items of a SecretList come without their own kind from the API server, so the list's kind decides.
  const isSecret = record.kind === 'Secret' || inSecretList;
  const isSecretList = record.kind === 'SecretList';
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(record)) {
    if (isSecret && (key === 'data' || key === 'stringData')) result[key] = hideMapValues(child);
    else if (isSensitiveKey(key) && child !== null && typeof child !== 'object') result[key] = redactedValue;
    else if (isSensitiveKey(key) && child !== null && typeof child === 'object') result[key] = hideMapValues(child);
    else if (key === 'metadata' && isSecret) result[key] = redactMetadata(child, seen);
    else result[key] = redactValue(child, seen, isSecretList && key === 'items');
  }
  return result;
}

function redactMetadata(metadata: unknown, seen: WeakSet<object>): unknown {
  const redacted = redactValue(metadata, seen, false) as Record<string, unknown> | null;
  // kubectl.kubernetes.io/last-applied-configuration repeats the whole Secret, data included.
  const annotations = redacted?.annotations as Record<string, unknown> | undefined;
  if (annotations && 'kubectl.kubernetes.io/last-applied-configuration' in annotations) {
    annotations['kubectl.kubernetes.io/last-applied-configuration'] = redactedValue;
  }
  return redacted;
}

/**
 * redact returns a copy of `value` with credentials replaced by "<redacted>": bearer tokens,
 * Authorization headers, PEM private keys, kubeconfig client keys and tokens, passwords, URL
 * userinfo, and the values (not keys) of Secret `data`/`stringData`, also inside SecretLists and
 * JSON text. Strings stay strings; objects are deep-copied, never mutated.
 */
export function redact<T>(value: T): T {
  return redactValue(value, new WeakSet(), false) as T;
}
