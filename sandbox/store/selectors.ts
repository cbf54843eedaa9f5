/**
 * Label and field selectors with the grammar of apimachinery's labels.Parse and fields.ParseSelector:
 * `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, comma-separated and all required.
 */
import { badRequest } from '../api/status.js';
import type { KubeObject } from '../api/types.js';

/** Tells whether an object passes a selector. */
export type ObjectFilter = (object: KubeObject) => boolean;

type LabelRequirement = (labels: Record<string, string>) => boolean;

/** Splits on commas outside parentheses: `a in (x,y),b` is two requirements. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += ch;
  }
  terms.push(current);
  return terms.map((t) => t.trim()).filter((t) => t.length > 0);
}

function parseLabelTerm(term: string, selector: string): LabelRequirement {
  const set = /^([^\s!=()]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
  if (set) {
    const key = set[1] as string;
    const values = new Set((set[3] as string).split(',').map((v) => v.trim()));
    // notin also matches objects without the label, as in labels.Requirement.Matches.
    return set[2] === 'in' ? (l) => key in l && values.has(l[key] as string) : (l) => !(key in l) || !values.has(l[key] as string);
  }
  const compare = /^([^\s!=()]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/.exec(term);
  if (compare) {
    const key = compare[1] as string;
    const value = compare[3] as string;
    return compare[2] === '!=' ? (l) => l[key] !== value : (l) => l[key] === value;
  }
  const absent = /^!\s*([^\s!=()]+)$/.exec(term);
  if (absent) {
    const key = absent[1] as string;
    return (l) => !(key in l);
  }
  if (/^[^\s!=()]+$/.test(term)) return (l) => term in l;
  throw badRequest(`unable to parse requirement: found '${term}', expected: in, notin, =, ==, !=, gt, lt (selector "${selector}")`);
}

/** labelFilter compiles a label selector; an empty one matches everything. Bad syntax is 400 as from a real server. */
export function labelFilter(selector: string | undefined): ObjectFilter | undefined {
  if (!selector || !selector.trim()) return undefined;
  const requirements = splitTerms(selector).map((t) => parseLabelTerm(t, selector));
  return (object) => {
    const labels = object.metadata.labels ?? {};
    return requirements.every((r) => r(labels));
  };
}

function fieldValue(object: KubeObject, path: string): string {
  let value: unknown = object;
  for (const segment of path.split('.')) {
    if (value === null || typeof value !== 'object') return '';
    value = (value as Record<string, unknown>)[segment];
  }
  return value === undefined || value === null ? '' : String(value);
}

/** fieldFilter compiles a field selector (`metadata.name=x`, `metadata.namespace!=y`, and other dotted paths such as `status.phase`). */
export function fieldFilter(selector: string | undefined): ObjectFilter | undefined {
  if (!selector || !selector.trim()) return undefined;
  const requirements = splitTerms(selector).map((term) => {
    const match = /^([A-Za-z0-9_.]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!match) throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
    const [, path, op, value] = match as unknown as [string, string, string, string];
    return op === '!=' ? (o: KubeObject) => fieldValue(o, path) !== value : (o: KubeObject) => fieldValue(o, path) === value;
  });
  return (object) => requirements.every((r) => r(object));
}

/** The name a field selector pins (`metadata.name=x`), which lets a watch or list skip every other key. */
export function selectedName(selector: string | undefined): string | undefined {
  if (!selector) return undefined;
  for (const term of splitTerms(selector)) {
    const match = /^metadata\.name\s*==?\s*(.*)$/.exec(term);
    if (match) return match[1];
  }
  return undefined;
}

/** combineFilters is the conjunction of the filters that are set. */
export function combineFilters(...filters: Array<ObjectFilter | undefined>): ObjectFilter | undefined {
  const set = filters.filter((f): f is ObjectFilter => f !== undefined);
  if (set.length === 0) return undefined;
  if (set.length === 1) return set[0];
  return (object) => set.every((f) => f(object));
}
