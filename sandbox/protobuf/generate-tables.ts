/**
 * Writes sandbox/protobuf/k8s-tables.ts, the field tables the protobuf decoder reads, from the real
 * k8s.io/api and k8s.io/apimachinery sources: each message's field numbers, names and types come
 * from `generated.proto`; whether a zero value is kept in JSON (a pointer, or no `omitempty`) and
 * whether an embedded struct is inlined come from the Go struct tags in `types.go`. Only the
 * messages reachable from the served kinds are written.
 *
 *   node dist/sandbox/protobuf/generate-tables.js API_DIR APIMACHINERY_DIR API_COMMIT APIMACHINERY_COMMIT
 *
 * API_DIR holds `core/v1/generated.proto`, `core/v1/types.go`, … (a checkout of kubernetes/api);
 * APIMACHINERY_DIR holds `pkg/apis/meta/v1/…` (a checkout of kubernetes/apimachinery).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The API groups read from k8s.io/api. */
const apiPackages = ['core/v1', 'apps/v1', 'batch/v1', 'rbac/v1', 'policy/v1', 'autoscaling/v2', 'authorization/v1', 'scheduling/v1'];
/** The packages read from k8s.io/apimachinery. */
const machineryPackages = ['pkg/apis/meta/v1', 'pkg/util/intstr', 'pkg/api/resource', 'pkg/runtime'];

/** The kinds a request body may carry, by `apiVersion/kind`, and their message. */
const roots: Record<string, string> = {
  'v1/Namespace': 'k8s.io.api.core.v1.Namespace',
  'v1/ConfigMap': 'k8s.io.api.core.v1.ConfigMap',
  'v1/Secret': 'k8s.io.api.core.v1.Secret',
  'v1/Service': 'k8s.io.api.core.v1.Service',
  'v1/ServiceAccount': 'k8s.io.api.core.v1.ServiceAccount',
  'v1/Pod': 'k8s.io.api.core.v1.Pod',
  'v1/ResourceQuota': 'k8s.io.api.core.v1.ResourceQuota',
  'apps/v1/Deployment': 'k8s.io.api.apps.v1.Deployment',
  'apps/v1/ReplicaSet': 'k8s.io.api.apps.v1.ReplicaSet',
  'apps/v1/StatefulSet': 'k8s.io.api.apps.v1.StatefulSet',
  'apps/v1/DaemonSet': 'k8s.io.api.apps.v1.DaemonSet',
  'batch/v1/Job': 'k8s.io.api.batch.v1.Job',
  'batch/v1/CronJob': 'k8s.io.api.batch.v1.CronJob',
  'rbac.authorization.k8s.io/v1/Role': 'k8s.io.api.rbac.v1.Role',
  'rbac.authorization.k8s.io/v1/RoleBinding': 'k8s.io.api.rbac.v1.RoleBinding',
  'rbac.authorization.k8s.io/v1/ClusterRole': 'k8s.io.api.rbac.v1.ClusterRole',
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': 'k8s.io.api.rbac.v1.ClusterRoleBinding',
  'policy/v1/PodDisruptionBudget': 'k8s.io.api.policy.v1.PodDisruptionBudget',
  'autoscaling/v2/HorizontalPodAutoscaler': 'k8s.io.api.autoscaling.v2.HorizontalPodAutoscaler',
  'authorization.k8s.io/v1/SelfSubjectAccessReview': 'k8s.io.api.authorization.v1.SelfSubjectAccessReview',
  'scheduling.k8s.io/v1/PriorityClass': 'k8s.io.api.scheduling.v1.PriorityClass',
  // client-go encodes DeleteOptions with the version of the request's group; all are meta/v1 DeleteOptions.
  'meta.k8s.io/v1/DeleteOptions': 'k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions',
  'v1/DeleteOptions': 'k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions',
};

/** Messages the decoder turns into JSON by hand (their JSON form is not their fields). */
const special = new Set([
  'k8s.io.apimachinery.pkg.apis.meta.v1.Time',
  'k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime',
  'k8s.io.apimachinery.pkg.apis.meta.v1.Duration',
  'k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1',
  'k8s.io.apimachinery.pkg.util.intstr.IntOrString',
  'k8s.io.apimachinery.pkg.api.resource.Quantity',
  'k8s.io.apimachinery.pkg.runtime.RawExtension',
]);

const scalars = new Set(['string', 'bytes', 'bool', 'int32', 'int64', 'uint32', 'uint64', 'double', 'float']);

interface ProtoField {
  number: number;
  name: string;
  type: string;
  repeated: boolean;
  mapValue?: string;
}

interface GoTag {
  json: string;
  keepZero: boolean;
  inline: boolean;
}

function qualify(type: string, pkg: string): string {
  if (scalars.has(type)) return type;
  return type.startsWith('.') ? type.slice(1) : `${pkg}.${type}`;
}

function parseProto(text: string, messages: Map<string, ProtoField[]>): void {
  const pkg = /^package\s+([\w.]+);/m.exec(text)?.[1];
  if (!pkg) throw new Error('generated.proto without a package');
  let current: ProtoField[] | undefined;
  for (const line of text.split('\n')) {
    const open = /^message\s+(\w+)\s*\{/.exec(line);
    if (open) {
      current = [];
      messages.set(`${pkg}.${open[1]}`, current);
      continue;
    }
    if (/^\}/.test(line)) {
      current = undefined;
      continue;
    }
    if (!current) continue;
    const map = /^\s+map<\s*string\s*,\s*([\w.]+)\s*>\s+(\w+)\s*=\s*(\d+);/.exec(line);
    if (map) {
      current.push({ number: Number(map[3]), name: map[2]!, type: 'map', repeated: true, mapValue: qualify(map[1]!, pkg) });
      continue;
    }
    const field = /^\s+(optional|repeated)\s+([\w.]+)\s+(\w+)\s*=\s*(\d+);/.exec(line);
    if (field) {
      current.push({ number: Number(field[4]), name: field[3]!, type: qualify(field[2]!, pkg), repeated: field[1] === 'repeated' });
    } else if (/=\s*\d+;/.test(line) && !/^\s*\/\//.test(line)) {
      throw new Error(`unparsed proto field line: ${line}`);
    }
  }
}

/** Struct name → field number → JSON facts, from the Go struct tags. */
function parseTypes(text: string, pkg: string, tags: Map<string, Map<number, GoTag>>): void {
  let current: Map<number, GoTag> | undefined;
  for (const line of text.split('\n')) {
    const open = /^type\s+(\w+)\s+struct\s*\{/.exec(line);
    if (open) {
      current = new Map();
      tags.set(`${pkg}.${open[1]}`, current);
      continue;
    }
    if (/^\}/.test(line)) {
      current = undefined;
      continue;
    }
    if (!current) continue;
    const tagged = /^\s+(?:(\w+)\s+)?(\S+)\s+`(.*)`/.exec(line);
    if (!tagged) continue;
    const [, fieldName, goType, tagText] = tagged;
    const protobuf = /protobuf:"[a-z0-9]+,(\d+),/.exec(tagText!);
    if (!protobuf) continue;
    const json = /json:"([^"]*)"/.exec(tagText!)?.[1] ?? '';
    const [jsonName = '', ...options] = json.split(',');
    const embedded = fieldName === undefined;
    current.set(Number(protobuf[1]), {
      json: jsonName,
      keepZero: goType!.startsWith('*') || !options.includes('omitempty'),
      inline: options.includes('inline') || (embedded && jsonName === ''),
    });
  }
}

/** A field in the written table: [jsonName, type, flags, mapValue?]. Flags: 1 repeated, 2 map, 4 keep zero, 8 inline. */
type TableField = [string, string, number] | [string, string, number, string];

function main(args: string[]): void {
  const [apiDir, machineryDir, apiCommit, machineryCommit] = args;
  if (!apiDir || !machineryDir || !apiCommit || !machineryCommit) {
    throw new Error('usage: generate-tables API_DIR APIMACHINERY_DIR API_COMMIT APIMACHINERY_COMMIT');
  }
  const messages = new Map<string, ProtoField[]>();
  const tags = new Map<string, Map<number, GoTag>>();
  const read = (dir: string, pkgPath: string, protoPkg: string) => {
    parseProto(readFileSync(join(dir, pkgPath, 'generated.proto'), 'utf8'), messages);
    const types = join(dir, pkgPath, 'types.go');
    if (existsSync(types)) parseTypes(readFileSync(types, 'utf8'), protoPkg, tags);
  };
  for (const p of apiPackages) read(apiDir, p, `k8s.io.api.${p.replace('/', '.')}`);
  for (const p of machineryPackages) read(machineryDir, p, `k8s.io.apimachinery.${p.replaceAll('/', '.')}`);

  const out = new Map<string, Record<number, TableField>>();
  const queue = [...new Set(Object.values(roots))];
  const skipped: string[] = [];
  while (queue.length) {
    const name = queue.shift()!;
    if (out.has(name) || special.has(name)) continue;
    const fields = messages.get(name);
    if (!fields) throw new Error(`message ${name} not found`);
    const goTags = tags.get(name);
    const table: Record<number, TableField> = {};
    for (const f of fields) {
      // A field typed by a message of a package not read (an alpha API group) is left out: the
      // decoder skips it as an unknown field.
      const refs = [f.type, f.mapValue].filter((t): t is string => !!t && t !== 'map' && !scalars.has(t));
      const missing = refs.find((t) => !messages.has(t) && !special.has(t));
      if (missing) {
        skipped.push(`${name}.${f.name} (${missing})`);
        continue;
      }
      const tag = goTags?.get(f.number);
      const json = tag ? tag.json || f.name : f.name;
      let flags = (f.repeated ? 1 : 0) | (f.mapValue ? 2 : 0);
      if (tag?.keepZero) flags |= 4;
      if (tag?.inline) flags |= 8;
      table[f.number] = f.mapValue ? [json, 'map', flags, f.mapValue] : [json, f.type, flags];
      queue.push(...refs);
    }
    out.set(name, table);
  }

  const body = [...out.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, table]) => `  '${name}': ${JSON.stringify(table)},`)
    .join('\n');
  const text = `/**
 * GENERATED by sandbox/protobuf/generate-tables.ts from kubernetes/api@${apiCommit} and
 * kubernetes/apimachinery@${machineryCommit} (generated.proto field numbers and types; types.go
 * json tags), then formatted by prettier. Do not edit by hand. A field is [jsonName, type, flags, mapValueType?]; flags:
 * 1 repeated, 2 map<string, V>, 4 zero value kept in JSON (a pointer or no omitempty), 8 inlined.
 */
import type { MessageTable } from './message-table.js';

/** The message each \`apiVersion/kind\` of a request body is decoded as. */
export const rootMessages: Record<string, string> = ${JSON.stringify(roots, null, 2)};

/** Field tables by fully qualified message name. */
export const messageTables: Record<string, MessageTable> = {
${body}
};
`;
  const target = fileURLToPath(new URL('../../../sandbox/protobuf/k8s-tables.ts', import.meta.url));
  writeFileSync(target, text);
  for (const s of skipped) process.stderr.write(`left out ${s}\n`);
  process.stderr.write(`wrote ${out.size} messages to ${target}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2));
