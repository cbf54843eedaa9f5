/**
 * The subset of Kubernetes JSONPath that CRD `additionalPrinterColumns` use in practice
 * (https://kubernetes.io/docs/reference/kubectl/jsonpath/): field steps (`.a.b`, with `\.` escaping a
 * dot inside a key), `['key']`, indexes (`[0]`, `[-1]`), `[*]` / `.*`, and filters
 * (`[?(@.type=="Ready")]`, `[?(@.ready)]`, comparison operators). Anything else is a syntax error,
 * which the caller turns into an empty cell as the apiserver's table convertor does.
 */

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'filter'; path: Step[]; operator?: string; literal?: unknown };

const compiled = new Map<string, Step[]>();

/** evaluateJsonPath returns every value the expression selects from `root` (empty when nothing matches). */
export function evaluateJsonPath(root: unknown, expression: string): unknown[] {
  let steps = compiled.get(expression);
  if (!steps) {
    steps = parseJsonPath(expression);
    // Printer columns are evaluated once per row; parsing once per expression keeps big tables cheap.
    if (compiled.size > 1000) compiled.clear();
    compiled.set(expression, steps);
  }
  return applySteps([root], steps);
}

/** parseJsonPath compiles an expression, throwing on syntax the sandbox does not support. */
export function parseJsonPath(expression: string): Step[] {
  let text = expression.trim();
  if (text.startsWith('{') && text.endsWith('}')) text = text.slice(1, -1).trim();
  if (text.startsWith('$')) text = text.slice(1);
  const steps: Step[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '.') {
      i++;
      if (text[i] === '*') {
        steps.push({ kind: 'wildcard' });
        i++;
        continue;
      }
      let name = '';
      while (i < text.length && text[i] !== '.' && text[i] !== '[') {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        name += text[i];
        i++;
      }
      if (name === '') {
        if (i >= text.length) break; // a lone "." selects the root
        throw new Error(`unsupported JSONPath "${expression}": recursive descent`);
      }
      steps.push({ kind: 'field', name });
    } else if (c === '[') {
      const close = findBracketEnd(text, i);
      if (close < 0) throw new Error(`unterminated "[" in JSONPath "${expression}"`);
      steps.push(parseBracket(text.slice(i + 1, close).trim(), expression));
      i = close + 1;
    } else {
      throw new Error(`unexpected "${c ?? ''}" in JSONPath "${expression}"`);
    }
  }
  return steps;
}

function findBracketEnd(text: string, open: number): number {
  let quote: string | undefined;
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '[') {
      depth++;
    } else if (c === ']') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function parseBracket(inner: string, expression: string): Step {
  if (inner === '*') return { kind: 'wildcard' };
  if (/^-?\d+$/.test(inner)) return { kind: 'index', index: Number(inner) };
  const quoted = /^(['"])(.*)\1$/.exec(inner);
  if (quoted) return { kind: 'field', name: quoted[2] ?? '' };
  const filter = /^\?\((.*)\)$/s.exec(inner);
  if (filter) return parseFilter((filter[1] ?? '').trim(), expression);
  throw new Error(`unsupported JSONPath subscript "[${inner}]" in "${expression}"`);
}

function parseFilter(body: string, expression: string): Step {
  const match = /^@((?:\.[^=!<>\s]+|\[[^\]]*\])*)\s*(?:(==|!=|<=|>=|<|>)\s*(.+))?$/s.exec(body);
  if (!match) throw new Error(`unsupported JSONPath filter "${body}" in "${expression}"`);
  const path = parseJsonPath(match[1] ?? '');
  if (!match[2]) return { kind: 'filter', path };
  return { kind: 'filter', path, operator: match[2], literal: parseLiteral((match[3] ?? '').trim(), expression) };
}

function parseLiteral(text: string, expression: string): unknown {
  const quoted = /^(['"])(.*)\1$/s.exec(text);
  if (quoted) return quoted[2];
  if (text === 'true' || text === 'false') return text === 'true';
  if (text === 'null') return null;
  const n = Number(text);
  if (text !== '' && !Number.isNaN(n)) return n;
  throw new Error(`unsupported JSONPath literal "${text}" in "${expression}"`);
}

function applySteps(nodes: unknown[], steps: Step[]): unknown[] {
  let current = nodes;
  for (const step of steps) {
    const next: unknown[] = [];
    for (const node of current) collect(node, step, next);
    current = next;
  }
  return current;
}

function collect(node: unknown, step: Step, out: unknown[]): void {
  if (node === null || typeof node !== 'object') return;
  switch (step.kind) {
    case 'field': {
      if (Array.isArray(node)) return;
      const value = (node as Record<string, unknown>)[step.name];
      if (value !== undefined) out.push(value);
      return;
    }
    case 'index': {
      if (!Array.isArray(node)) return;
      const value: unknown = node[step.index < 0 ? node.length + step.index : step.index];
      if (value !== undefined) out.push(value);
      return;
    }
    case 'wildcard':
      out.push(...(Array.isArray(node) ? node : Object.values(node)));
      return;
    case 'filter': {
      const items: unknown[] = Array.isArray(node) ? node : Object.values(node);
      for (const item of items) if (filterMatches(item, step)) out.push(item);
      return;
    }
  }
}

function filterMatches(item: unknown, step: Extract<Step, { kind: 'filter' }>): boolean {
  const values = applySteps([item], step.path);
  if (!step.operator) return values.length > 0;
  return values.some((value) => compare(value, step.operator ?? '==', step.literal));
}

function compare(value: unknown, operator: string, literal: unknown): boolean {
  switch (operator) {
    case '==':
      return value === literal;
    case '!=':
      return value !== literal;
    default: {
      if (typeof value !== 'number' || typeof literal !== 'number') return false;
      if (operator === '<') return value < literal;
      if (operator === '>') return value > literal;
      if (operator === '<=') return value <= literal;
      return value >= literal;
    }
  }
}
