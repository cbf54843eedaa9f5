/**
 * Field sets as server-side apply tracks them (sigs.k8s.io/structured-merge-diff fieldpath),
 * serialized as FieldsV1: `f:<field>` for a map field, `k:{"name":"x"}` for an item of an
 * associative list (its key fields, sorted), `v:<json>` for an item of a set, `i:<n>` for a
 * position, and `.` for "this node itself" when it also has members below it.
 *
 * A path is the list of those element strings; a set is keyed by the path's JSON.
 */
import type { JSONSchemaProps, ResourceType } from '../api/types.js';
import { deepEqual, isJsonObject, type JsonObject } from './json-value.js';
import { builtinAtomicMap, builtinListSchema, pathString, type ListSchema } from './strategic-merge-keys.js';

/** A path in FieldsV1 element notation. */
export type FieldPath = string[];

/** keyOf is a path's identity in a set: its elements joined by NUL, which no element contains. */
function keyOf(path: FieldPath): string {
  return path.join('\u0000');
}

/** A set of field paths. */
export class FieldSet {
  private readonly members = new Map<string, FieldPath>();

  /** FieldSet.of builds a set from paths. */
  static of(paths: Iterable<FieldPath>): FieldSet {
    const set = new FieldSet();
    for (const path of paths) set.add(path);
    return set;
  }

  /** add inserts a path. */
  add(path: FieldPath): void {
    this.members.set(keyOf(path), path);
  }

  /** has tells whether the path is a member. */
  has(path: FieldPath): boolean {
    return this.members.has(keyOf(path));
  }

  /** delete removes a path. */
  delete(path: FieldPath): void {
    this.members.delete(keyOf(path));
  }

  /** size is the number of member paths. */
  get size(): number {
    return this.members.size;
  }

  /** paths lists the members. */
  paths(): FieldPath[] {
    return [...this.members.values()];
  }

  /** union is a new set with the members of both. */
  union(other: FieldSet): FieldSet {
    return FieldSet.of([...this.paths(), ...other.paths()]);
  }

  /** difference is a new set without the members of `other`. */
  difference(other: FieldSet): FieldSet {
    return FieldSet.of(this.paths().filter((p) => !other.has(p)));
  }

  /** intersection is a new set of the members both hold. */
  intersection(other: FieldSet): FieldSet {
    return FieldSet.of(this.paths().filter((p) => other.has(p)));
  }

  /** hasDescendantOf is true when a member lies strictly below `path`. */
  hasDescendantOf(path: FieldPath): boolean {
    return this.paths().some((p) => p.length > path.length && path.every((element, i) => p[i] === element));
  }

  /** toFieldsV1 serializes the set as the FieldsV1 JSON object managedFields carry. */
  toFieldsV1(): JsonObject {
    const root: JsonObject = {};
    for (const path of this.paths()) {
      let node = root;
      for (const element of path) {
        if (!isJsonObject(node[element])) node[element] = {};
        node = node[element] as JsonObject;
      }
      node['.'] = {};
    }
    return collapse(root);
  }

  /** fromFieldsV1 parses a FieldsV1 object. */
  static fromFieldsV1(fields: unknown): FieldSet {
    const set = new FieldSet();
    const walk = (node: unknown, path: FieldPath): void => {
      if (!isJsonObject(node)) return;
      const children = Object.keys(node).filter((k) => k !== '.');
      if ((children.length === 0 || '.' in node) && path.length > 0) set.add(path);
      for (const key of children) walk(node[key], [...path, key]);
    };
    walk(fields, []);
    return set;
  }
}

/** collapse turns `{".":{}}`-only nodes into `{}` and orders keys the way structured-merge-diff prints them ("." first). */
function collapse(node: JsonObject): JsonObject {
  const keys = Object.keys(node);
  if (keys.length === 1 && keys[0] === '.') return {};
  if (keys.length > 1) {
    // Code-unit order without a comparator callback (several times cheaper), then "." moved first.
    // Keys often come in order already (a few per node), and checking is cheaper than sorting.
    for (let i = 1; i < keys.length; i++) {
      if ((keys[i - 1] as string) > (keys[i] as string)) {
        keys.sort();
        break;
      }
    }
    const dot = keys.indexOf('.');
    if (dot > 0) keys.unshift(...keys.splice(dot, 1));
  }
  const out: JsonObject = {};
  for (const key of keys) out[key] = key === '.' ? {} : collapse(node[key] as JsonObject);
  return out;
}

/** The metadata fields a field manager never tracks (fieldmanager stripMeta). */
const untrackedMetadata = new Set([
  'name',
  'namespace',
  'creationTimestamp',
  'selfLink',
  'uid',
  'clusterName',
  'generation',
  'managedFields',
  'resourceVersion',
]);

/** ListTypes answers how lists and maps of one resource merge, from the built-in table or the CRD schema. */
export class ListTypes {
  constructor(private readonly type: ResourceType) {}

  /** list tells how the list at `segments` merges (undefined: atomic). */
  list(segments: string[]): ListSchema | undefined {
    const path = pathString(segments);
    if (this.type.builtin || !this.type.schema || segments[0] === 'metadata') return builtinListSchema(this.type.kind, path);
    const node = schemaAt(this.type.schema, segments);
    const listType = node?.['x-kubernetes-list-type'];
    if (listType === 'map') {
      const keys = Array.isArray(node?.['x-kubernetes-list-map-keys']) ? (node['x-kubernetes-list-map-keys'] as string[]) : [];
      return { strategy: 'merge', listType: 'map', mapKeys: keys, mergeKey: keys[0] };
    }
    if (listType === 'set') return { strategy: 'merge', listType: 'set' };
    return undefined;
  }

  /** atomicMap is true for maps owned and replaced as one value (x-kubernetes-map-type: atomic, label selectors). */
  atomicMap(segments: string[]): boolean {
    if (this.type.builtin || !this.type.schema) return builtinAtomicMap(this.type.kind, pathString(segments));
    return schemaAt(this.type.schema, segments)?.['x-kubernetes-map-type'] === 'atomic';
  }

  /** itemElement is the `k:` (or `v:`, `i:`) element naming `item` within a list of the given schema. */
  itemElement(schema: ListSchema, item: unknown, index: number): string {
    if (schema.listType === 'set') return `v:${JSON.stringify(item)}`;
    if (schema.listType === 'map' && isJsonObject(item) && schema.mapKeys?.length) {
      const key: JsonObject = {};
      for (const name of [...schema.mapKeys].sort()) {
        const value = item[name] ?? defaultKeyValue(name);
        if (value !== undefined) key[name] = value;
      }
      return `k:${JSON.stringify(key)}`;
    }
    return `i:${index}`;
  }
}

/** Port lists are keyed on protocol too, which the schema defaults to TCP when a manifest omits it. */
function defaultKeyValue(name: string): unknown {
  return name === 'protocol' ? 'TCP' : undefined;
}

/** schemaAt walks an openAPIV3Schema along field names (`[]` for list items). */
export function schemaAt(schema: JSONSchemaProps, segments: string[]): JSONSchemaProps | undefined {
  let node: JSONSchemaProps | undefined = schema;
  for (const segment of segments) {
    if (!node) return undefined;
    if (segment === '[]') {
      node = isJsonObject(node.items) ? node.items : undefined;
    } else {
      const properties: unknown = node.properties;
      const additional: unknown = node.additionalProperties;
      node =
        isJsonObject(properties) && isJsonObject(properties[segment])
          ? properties[segment]
          : isJsonObject(additional)
            ? additional
            : undefined;
    }
  }
  return node;
}

/** Options for fieldSetOf. */
export interface FieldSetOptions {
  /** Leave `status` out (resources with a status subresource: the main endpoint never writes it). */
  skipStatus?: boolean;
  /** Also record string maps themselves (as `.`), as an Update's diff does for maps it creates. */
  includeMaps?: boolean;
  /** Collects the paths that name a container (a list item, or a map recorded by includeMaps) rather than a value. */
  containers?: FieldSet;
}

/** fieldSetOf lists every field path an object sets: leaves, atomic values and list items. */
export function fieldSetOf(object: JsonObject, types: ListTypes, options: FieldSetOptions = {}): FieldSet {
  const set = new FieldSet();
  const visit = (value: unknown, segments: string[], path: FieldPath): void => {
    if (isJsonObject(value) && Object.keys(value).length > 0 && !types.atomicMap(segments)) {
      // Only string maps (labels, annotations, data, nodeSelector…) are Go maps with an identity of their
      // own; structs never get a "." entry, which is what Update entries show for them.
      if (options.includeMaps && segments.length > 1 && Object.values(value).every((v) => typeof v === 'string')) {
        set.add(path);
        options.containers?.add(path);
      }
      for (const [key, child] of Object.entries(value)) visit(child, [...segments, key], [...path, `f:${key}`]);
      return;
    }
    if (Array.isArray(value) && value.length > 0) {
      const schema = types.list(segments);
      if (schema && schema.listType !== 'atomic') {
        value.forEach((item, index) => {
          const itemPath = [...path, types.itemElement(schema, item, index)];
          set.add(itemPath);
          if (schema.listType === 'map') options.containers?.add(itemPath);
          if (schema.listType === 'map' && isJsonObject(item)) {
            for (const [key, child] of Object.entries(item)) visit(child, [...segments, '[]', key], [...itemPath, `f:${key}`]);
          }
        });
        return;
      }
    }
    set.add(path);
  };
  for (const [key, value] of Object.entries(object)) {
    if (key === 'apiVersion' || key === 'kind') continue;
    if (key === 'status' && options.skipStatus) continue;
    if (key === 'metadata' && isJsonObject(value)) {
      for (const [field, child] of Object.entries(value)) {
        if (!untrackedMetadata.has(field)) visit(child, ['metadata', field], ['f:metadata', `f:${field}`]);
      }
      continue;
    }
    visit(value, [key], [`f:${key}`]);
  }
  return set;
}

/**
 * fieldsV1Of is `fieldSetOf(object, types, options).toFieldsV1()` computed in one walk: the
 * FieldsV1 tree is built as the object is visited, without a path array per field or a set to
 * rebuild the tree from (a create records every field it sets, so it needs no set). The walk
 * mirrors fieldSetOf's step for step; a unit test holds the two equal.
 */
export function fieldsV1Of(object: JsonObject, types: ListTypes, options: Omit<FieldSetOptions, 'containers'> = {}): JsonObject {
  const root: JsonObject = {};
  // The schema path of the value being visited, pushed and popped (ListTypes only reads it).
  const segments: string[] = [];
  const child = (node: JsonObject, element: string): JsonObject => {
    let next = node[element] as JsonObject | undefined;
    if (next === undefined) {
      next = {};
      node[element] = next;
    }
    return next;
  };
  const visitMembers = (value: JsonObject, node: JsonObject): void => {
    for (const key of Object.keys(value)) {
      segments.push(key);
      visit(value[key], child(node, `f:${key}`));
      segments.pop();
    }
  };
  // `node` is the tree node of the value's path; a field set member is marked with ".".
  const visit = (value: unknown, node: JsonObject): void => {
    if (isJsonObject(value) && Object.keys(value).length > 0 && !types.atomicMap(segments)) {
      if (options.includeMaps && segments.length > 1 && Object.values(value).every((v) => typeof v === 'string')) node['.'] = {};
      visitMembers(value, node);
      return;
    }
    if (Array.isArray(value) && value.length > 0) {
      const schema = types.list(segments);
      if (schema && schema.listType !== 'atomic') {
        value.forEach((item, index) => {
          const itemNode = child(node, types.itemElement(schema, item, index));
          itemNode['.'] = {};
          if (schema.listType === 'map' && isJsonObject(item)) {
            segments.push('[]');
            visitMembers(item, itemNode);
            segments.pop();
          }
        });
        return;
      }
    }
    node['.'] = {};
  };
  for (const key of Object.keys(object)) {
    if (key === 'apiVersion' || key === 'kind') continue;
    if (key === 'status' && options.skipStatus) continue;
    const value = object[key];
    segments.push(key);
    if (key === 'metadata' && isJsonObject(value)) {
      for (const field of Object.keys(value)) {
        if (untrackedMetadata.has(field)) continue;
        segments.push(field);
        visit(value[field], child(child(root, 'f:metadata'), `f:${field}`));
        segments.pop();
      }
    } else {
      visit(value, child(root, `f:${key}`));
    }
    segments.pop();
  }
  return collapse(root);
}

/** valueAt reads the value a path names, or undefined when it is absent. */
export function valueAt(object: unknown, path: FieldPath): unknown {
  let node: unknown = object;
  for (const element of path) {
    node = child(node, element);
    if (node === undefined) return undefined;
  }
  return node;
}

function child(node: unknown, element: string): unknown {
  if (element.startsWith('f:')) return isJsonObject(node) ? node[element.slice(2)] : undefined;
  if (!Array.isArray(node)) return undefined;
  return node[indexOfElement(node, element)];
}

function indexOfElement(list: unknown[], element: string): number {
  if (element.startsWith('i:')) return Number(element.slice(2));
  const wanted: unknown = JSON.parse(element.slice(2));
  if (element.startsWith('v:')) return list.findIndex((item) => deepEqual(item, wanted));
  if (!isJsonObject(wanted)) return -1;
  return list.findIndex(
    (item) => isJsonObject(item) && Object.entries(wanted).every(([k, v]) => deepEqual(item[k] ?? defaultKeyValue(k), v)),
  );
}

/** removeAt deletes the field or list item a path names (no-op when absent). */
export function removeAt(object: unknown, path: FieldPath): void {
  const parent = valueAt(object, path.slice(0, -1));
  const last = path[path.length - 1];
  if (last === undefined) return;
  if (last.startsWith('f:')) {
    if (isJsonObject(parent)) delete parent[last.slice(2)];
  } else if (Array.isArray(parent)) {
    const index = indexOfElement(parent, last);
    if (index >= 0) parent.splice(index, 1);
  }
}

/** describePath prints a path the way apply conflicts name fields: `.spec.containers[name="app"].image`. */
export function describePath(path: FieldPath): string {
  return path
    .map((element) => {
      const body = element.slice(2);
      if (element.startsWith('f:')) return `.${body}`;
      if (element.startsWith('i:')) return `[${body}]`;
      if (element.startsWith('v:')) return `[=${body}]`;
      const key = JSON.parse(body) as JsonObject;
      return `[${Object.entries(key)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}]`;
    })
    .join('');
}
