/**
 * Server-side printing: `kubectl get` asks for a meta.k8s.io Table and prints its cells verbatim,
 * so the READY, STATUS and AGE a user sees are computed here, as the apiserver's table convertors
 * do (printers.go for built-ins, apiextensions' tableconvertor for custom resources).
 */
import type { KubeObject, PrinterColumn, ResourceType } from '../api/types.js';
import { parseAccept } from '../discovery/aggregated.js';
import { builtinPrinter } from './builtin-printers.js';
import { timestampAge } from './human-duration.js';
import { evaluateJsonPath } from './jsonpath.js';

/** The Table API versions kubectl offers (v1 first since 1.15). */
export type TableVersion = 'v1' | 'v1beta1';

/** A column definition as it appears in a Table: every field present, as Go writes them. */
export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

/** Options a caller rarely needs: a fixed clock for tests, the negotiated Table version, watch events without headers. */
export interface TableOptions {
  now?: Date;
  version?: TableVersion;
  /** A real server sends column definitions only with a watch's first event; later events repeat just the rows. */
  omitColumnDefinitions?: boolean;
}

const nameColumn: TableColumnDefinition = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description:
    'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  priority: 0,
};

/** negotiateTable returns the Table version an Accept header asks for, or undefined when the client prefers plain objects. */
export function negotiateTable(accept: string | undefined): TableVersion | undefined {
  for (const range of parseAccept(accept)) {
    if (range.params.as === 'Table') {
      if (
        range.type === 'application/json' &&
        range.params.g === 'meta.k8s.io' &&
        (range.params.v === 'v1' || range.params.v === 'v1beta1')
      )
        return range.params.v;
      continue; // protobuf Tables or unknown versions: the sandbox speaks JSON only, try the next choice
    }
    if (range.params.as === undefined) return undefined;
  }
  return undefined;
}

/** wantsTable tells whether an Accept header asks for a meta.k8s.io Table. */
export function wantsTable(accept: string | undefined): boolean {
  return negotiateTable(accept) !== undefined;
}

function definition(column: PrinterColumn): TableColumnDefinition {
  return {
    name: column.name,
    type: column.type,
    format: column.format ?? '',
    description: column.description ?? '',
    priority: column.priority ?? 0,
  };
}

/** columnDefinitions lists a resource's Table columns, Name first. */
export function columnDefinitions(type: ResourceType): TableColumnDefinition[] {
  const columns = type.builtin ? builtinPrinter(type.group, type.resource).columns : type.printerColumns;
  return [nameColumn, ...columns.map(definition)];
}

/** printerColumnCell evaluates one CRD printer column the way apiextensions' tableconvertor does (null renders as `<none>`). */
export function printerColumnCell(column: PrinterColumn, object: KubeObject, now: Date): unknown {
  let results: unknown[];
  try {
    results = evaluateJsonPath(object, column.jsonPath);
  } catch {
    return null;
  }
  // Only the first match counts: the convertor supports "simple" paths with a single result.
  const value = results[0];
  if (value === undefined || value === null) return null;
  switch (column.type) {
    case 'string':
      return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date':
      if (typeof value !== 'string') return null;
      return Number.isNaN(Date.parse(value)) ? '<invalid>' : timestampAge(value, now);
  }
  return null;
}

function rowCells(type: ResourceType, object: KubeObject, now: Date): unknown[] {
  const name = object.metadata.name ?? '';
  if (type.builtin) return [name, ...builtinPrinter(type.group, type.resource).cells(object, now)];
  return [name, ...type.printerColumns.map((c) => printerColumnCell(c, object, now))];
}

/** toTable renders objects as a meta.k8s.io/v1 Table (columns per kind, rows carrying PartialObjectMetadata). */
export function toTable(
  type: ResourceType,
  objects: KubeObject[],
  listMeta: { resourceVersion: string; continue?: string; remainingItemCount?: number },
  options: TableOptions = {},
): object {
  const now = options.now ?? new Date();
  const version = options.version ?? 'v1';
  const metadata: Record<string, unknown> = { resourceVersion: listMeta.resourceVersion };
  if (listMeta.continue) metadata.continue = listMeta.continue;
  if (listMeta.remainingItemCount !== undefined) metadata.remainingItemCount = listMeta.remainingItemCount;
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${version}`,
    metadata,
    columnDefinitions: options.omitColumnDefinitions ? [] : columnDefinitions(type),
    rows: objects.map((object) => ({
      cells: rowCells(type, object, now),
      // kubectl reads NAMESPACE (-A) and LABELS (--show-labels) from the row's object, not from cells.
      object: { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: object.metadata },
    })),
  };
}

/** toTableForObject renders a single GET as a one-row Table carrying the object's resourceVersion. */
export function toTableForObject(type: ResourceType, object: KubeObject, options: TableOptions = {}): object {
  return toTable(type, [object], { resourceVersion: object.metadata.resourceVersion ?? '' }, options);
}
