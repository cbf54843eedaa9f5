/**
 * The fault-injection language (documented in sandbox/README.md):
 *
 *   spec  = rule *( ";" rule )
 *   rule  = kind [ ":" param *( "," param ) ]
 *   kind  = "409" | "429" | "500" | "503" | "reset" | "reset-after" | "latency" | "drop-watch"
 *   param = "rate=" fraction | "path=" regex | "verb=" verb | "count=" n
 *         | "retry-after=" seconds (429) | "ms=" n (latency) | "after=" n (drop-watch)
 *
 * e.g. `429:rate=0.1,retry-after=1;500:rate=0.05,path=^/apis/split;latency:ms=50`.
 */

/** The kinds of fault. */
export type FaultKind = '409' | '429' | '500' | '503' | 'reset' | 'reset-after' | 'latency' | 'drop-watch';

/** One parsed rule. */
export interface FaultRule {
  kind: FaultKind;
  /** Probability per matching request (default 1). */
  rate: number;
  /** Only requests whose path matches. */
  path?: RegExp;
  /** Only requests with this Kubernetes verb (get, list, watch, create, …) or HTTP method (GET, POST, …). */
  verb?: string;
  /** Apply at most this many times. */
  count?: number;
  /** 429: the Retry-After header, in seconds (default 1). */
  retryAfterSeconds?: number;
  /** latency: the delay in milliseconds. */
  ms?: number;
  /** drop-watch: end watch streams this many milliseconds after they start. */
  afterMs?: number;
}

/** A spec that does not parse; the message is one line naming the culprit. */
export class FaultSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultSpecError';
  }
}

const kinds: readonly FaultKind[] = ['409', '429', '500', '503', 'reset', 'reset-after', 'latency', 'drop-watch'];
const allowedParams: Record<FaultKind, readonly string[]> = {
  '409': ['rate', 'path', 'verb', 'count'],
  '429': ['rate', 'path', 'verb', 'count', 'retry-after'],
  '500': ['rate', 'path', 'verb', 'count'],
  '503': ['rate', 'path', 'verb', 'count'],
  reset: ['rate', 'path', 'verb', 'count'],
  'reset-after': ['rate', 'path', 'verb', 'count'],
  latency: ['rate', 'path', 'verb', 'count', 'ms'],
  'drop-watch': ['rate', 'path', 'verb', 'count', 'after'],
};

function nonNegativeInteger(rule: string, key: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new FaultSpecError(`invalid fault rule "${rule}": ${key} must be a non-negative integer, got "${value}"`);
  return Number(value);
}

function parseRule(text: string): FaultRule {
  const colon = text.indexOf(':');
  const kindText = (colon < 0 ? text : text.slice(0, colon)).trim();
  if (!kinds.includes(kindText as FaultKind))
    throw new FaultSpecError(`invalid fault rule "${text}": unknown kind "${kindText}" (expected one of ${kinds.join(', ')})`);
  const kind = kindText as FaultKind;
  const rule: FaultRule = { kind, rate: 1 };
  const params =
    colon < 0
      ? []
      : text
          .slice(colon + 1)
          .split(',')
          .map((p) => p.trim())
          .filter((p) => p.length > 0);
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq <= 0) throw new FaultSpecError(`invalid fault rule "${text}": expected key=value, got "${param}"`);
    const key = param.slice(0, eq).trim();
    const value = param.slice(eq + 1).trim();
    if (!allowedParams[kind].includes(key))
      throw new FaultSpecError(`invalid fault rule "${text}": ${kind} does not take "${key}" (it takes ${allowedParams[kind].join(', ')})`);
    switch (key) {
      case 'rate': {
        const rate = Number(value);
        if (value === '' || !Number.isFinite(rate) || rate < 0 || rate > 1)
          throw new FaultSpecError(`invalid fault rule "${text}": rate must be a number from 0 to 1, got "${value}"`);
        rule.rate = rate;
        break;
      }
      case 'path':
        try {
          rule.path = new RegExp(value);
        } catch (error) {
          throw new FaultSpecError(`invalid fault rule "${text}": path is not a valid regular expression: ${(error as Error).message}`);
        }
        break;
      case 'verb':
        if (!value) throw new FaultSpecError(`invalid fault rule "${text}": verb is empty`);
        rule.verb = value;
        break;
      case 'count':
        rule.count = nonNegativeInteger(text, key, value);
        break;
      case 'retry-after':
        rule.retryAfterSeconds = nonNegativeInteger(text, key, value);
        break;
      case 'ms':
        rule.ms = nonNegativeInteger(text, key, value);
        break;
      case 'after':
        rule.afterMs = nonNegativeInteger(text, key, value);
        break;
    }
  }
  if (kind === 'latency' && rule.ms === undefined)
    throw new FaultSpecError(`invalid fault rule "${text}": latency needs ms=<milliseconds>`);
  if (kind === 'drop-watch' && rule.afterMs === undefined)
    throw new FaultSpecError(`invalid fault rule "${text}": drop-watch needs after=<milliseconds>`);
  return rule;
}

/** parseFaultSpec parses a spec; an empty spec means no faults. Throws FaultSpecError. */
export function parseFaultSpec(spec: string): FaultRule[] {
  return spec
    .split(';')
    .map((r) => r.trim())
    .filter((r) => r.length > 0)
    .map(parseRule);
}
