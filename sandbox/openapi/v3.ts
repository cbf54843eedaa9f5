/**
 * `/openapi/v3`: one document per group-version. kubectl (1.29+) and helm v4 read it before every
 * apply/create to learn whether the server validates fields itself: they look for a PATCH operation
 * carrying the kind's `x-kubernetes-group-version-kind` and a `fieldValidation` query parameter
 * (kubectl's query_param_verifier_v3.go). `kubectl explain` reads `components.schemas`, matching
 * kinds through their `x-kubernetes-group-version-kind` list. Clients cache the documents by URL,
 * so the root advertises each one with a hash of its content.
 */
import { createHash } from 'node:crypto';
import type { JSONSchemaProps, ResourceType } from '../api/types.js';
import { groupVersionString, scaleKind, servedGroups } from '../discovery/ordering.js';
import { builtinKindSchema, builtinSchemaPackage, sharedSchemas } from './builtin-schemas.js';
import { array, ref, typeAndObjectMeta } from './schema-builders.js';

/** A built group-version document, its JSON text and the hash the root advertises for it. */
export interface OpenApiV3Entry {
  /** `api/v1` or `apis/G/V`: the key in the root's `paths`. */
  path: string;
  document: Record<string, unknown>;
  json: string;
  hash: string;
}

type Json = Record<string, unknown>;

/** schemaName is the components.schemas key of a kind: `io.k8s.api.apps.v1.Deployment`, or for a CRD the reversed group (`io.solo.gateway.v1.Gateway`). */
export function schemaName(type: Pick<ResourceType, 'group' | 'version' | 'kind' | 'builtin'>, kind = type.kind): string {
  const prefix = type.builtin ? builtinSchemaPackage(type.group) : type.group.split('.').reverse().join('.');
  return `${prefix}.${type.version}.${kind}`;
}

function gvk(type: ResourceType, kind = type.kind): Json {
  return { group: type.group, version: type.version, kind };
}

/** The object schema of a kind: its fields plus apiVersion, kind and metadata as the real server adds them to CRDs. */
function kindSchema(type: ResourceType): JSONSchemaProps {
  const extension = { 'x-kubernetes-group-version-kind': [gvk(type)] };
  if (type.builtin) {
    const { description, properties } = builtinKindSchema(type.group, type.kind);
    return { type: 'object', description, properties: { ...typeAndObjectMeta(), ...properties }, ...extension };
  }
  const schema: JSONSchemaProps = structuredClone(type.schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
  const properties = (schema.properties && typeof schema.properties === 'object' ? schema.properties : {}) as Record<
    string,
    JSONSchemaProps
  >;
  schema.properties = { ...properties, ...typeAndObjectMeta() };
  if (!schema.type) schema.type = 'object';
  return { ...schema, ...extension };
}

function listSchema(type: ResourceType): JSONSchemaProps {
  const { apiVersion, kind } = typeAndObjectMeta();
  return {
    type: 'object',
    description: `${type.listKind} is a list of ${type.kind}`,
    required: ['items'],
    properties: {
      apiVersion,
      items: array(`List of ${type.resource}.`, { $ref: `#/components/schemas/${schemaName(type)}` }),
      kind,
      metadata: ref('io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta', 'Standard list metadata.'),
    },
    'x-kubernetes-group-version-kind': [gvk(type, type.listKind)],
  };
}

function queryParameter(name: string, description: string): Json {
  return { name, in: 'query', description, schema: { type: 'string', uniqueItems: true } };
}

const writeParameters = [
  queryParameter(
    'dryRun',
    'When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed',
  ),
  queryParameter('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes.'),
  queryParameter(
    'fieldValidation',
    'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict',
  ),
];
const patchParameters = [
  ...writeParameters,
  { name: 'force', in: 'query', description: 'Force is going to "force" Apply requests.', schema: { type: 'boolean', uniqueItems: true } },
];
const listParameters = ['labelSelector', 'fieldSelector', 'limit', 'continue', 'resourceVersion', 'watch'].map((name) =>
  queryParameter(name, `${name} of the list request.`),
);

function pathParameter(name: string): Json {
  return {
    name,
    in: 'path',
    required: true,
    description: name === 'namespace' ? 'object name and auth scope, such as for teams and projects' : `name of the ${name}`,
    schema: { type: 'string', uniqueItems: true },
  };
}

function camel(text: string): string {
  return text
    .replace(/\.k8s\.io$/, '')
    .split(/[.-]/)
    .filter(Boolean)
    .map((p) => p[0]?.toUpperCase() + p.slice(1))
    .join('');
}

function jsonContent(name: string): Json {
  const schema = { $ref: `#/components/schemas/${name}` };
  return { 'application/json': { schema }, 'application/yaml': { schema } };
}

/** Builds one operation; its `x-kubernetes-group-version-kind` is what kubectl's verifier matches. */
function operation(
  action: string,
  verb: string,
  type: ResourceType,
  namespaced: boolean,
  responseSchema: string,
  responseKind: Json,
  parameters: Json[],
  suffix = '',
  bodySchema?: string,
): Json {
  const scope = namespaced ? 'Namespaced' : '';
  const op: Json = {
    tags: [camel(type.group || 'core') + type.version.replace(/^./, (c) => c.toUpperCase())],
    description: `${action} ${type.kind}${suffix ? ` ${suffix}` : ''}`,
    operationId: `${verb}${camel(type.group || 'core')}${type.version.replace(/^./, (c) => c.toUpperCase())}${scope}${type.kind}${suffix ? camel(suffix) : ''}`,
    parameters,
    responses: { '200': { description: 'OK', content: jsonContent(responseSchema) }, '401': { description: 'Unauthorized' } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': responseKind,
  };
  if (bodySchema) {
    const content: Json =
      verb === 'patch'
        ? Object.fromEntries(
            [
              'application/json-patch+json',
              'application/merge-patch+json',
              ...(type.builtin ? ['application/strategic-merge-patch+json'] : []),
              'application/apply-patch+yaml',
            ].map((media) => [media, { schema: { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Patch' } }]),
          )
        : jsonContent(bodySchema);
    op.requestBody = { content, required: true };
  }
  return op;
}

function pathsFor(type: ResourceType): Record<string, Json> {
  const paths: Record<string, Json> = {};
  const root = type.group ? `/apis/${type.group}/${type.version}` : `/api/${type.version}`;
  const scoped = type.namespaced ? `${root}/namespaces/{namespace}/${type.resource}` : `${root}/${type.resource}`;
  const scopeParameters = type.namespaced ? [pathParameter('namespace')] : [];
  const can = (verb: string) => type.verbs.includes(verb);
  const kind = schemaName(type);
  const self = gvk(type);
  const ns = type.namespaced;

  const collection: Json = { parameters: scopeParameters };
  if (can('list')) collection.get = operation('list', 'list', type, ns, schemaName(type, type.listKind), self, listParameters);
  if (can('create')) collection.post = operation('post', 'create', type, ns, kind, self, writeParameters, '', kind);
  if (can('deletecollection'))
    collection.delete = operation(
      'deletecollection',
      'deleteCollection',
      type,
      ns,
      'io.k8s.apimachinery.pkg.apis.meta.v1.Status',
      self,
      listParameters,
    );
  paths[scoped] = collection;

  if (can('get') || can('update') || can('patch') || can('delete')) {
    const item: Json = { parameters: [pathParameter('name'), ...scopeParameters] };
    if (can('get')) item.get = operation('get', 'read', type, ns, kind, self, []);
    if (can('update')) item.put = operation('put', 'replace', type, ns, kind, self, writeParameters, '', kind);
    if (can('patch')) item.patch = operation('patch', 'patch', type, ns, kind, self, patchParameters, '', kind);
    if (can('delete'))
      item.delete = operation(
        'delete',
        'delete',
        type,
        ns,
        'io.k8s.apimachinery.pkg.apis.meta.v1.Status',
        self,
        writeParameters.slice(0, 1),
      );
    paths[`${scoped}/{name}`] = item;
  }
  const subresource = (name: 'status' | 'scale', responseSchema: string, responseKind: Json) => {
    paths[`${scoped}/{name}/${name}`] = {
      parameters: [pathParameter('name'), ...scopeParameters],
      get: operation('get', 'read', type, ns, responseSchema, responseKind, [], name),
      put: operation('put', 'replace', type, ns, responseSchema, responseKind, writeParameters, name, responseSchema),
      patch: operation('patch', 'patch', type, ns, responseSchema, responseKind, patchParameters, name, responseSchema),
    };
  };
  if (type.subresources.scale) subresource('scale', 'io.k8s.api.autoscaling.v1.Scale', { ...scaleKind });
  if (type.subresources.status) subresource('status', kind, self);
  // Namespaced kinds can also be listed across all namespaces.
  if (type.namespaced && can('list'))
    paths[`${root}/${type.resource}`] = {
      get: operation('list', 'list', type, false, schemaName(type, type.listKind), self, listParameters, 'ForAllNamespaces'),
    };
  return paths;
}

function buildDocument(types: ResourceType[], serverVersion: string): Record<string, unknown> {
  const paths: Record<string, Json> = {};
  const schemas: Record<string, JSONSchemaProps> = {};
  const shared = sharedSchemas();
  for (const type of types) {
    Object.assign(paths, pathsFor(type));
    schemas[schemaName(type)] = kindSchema(type);
    schemas[schemaName(type, type.listKind)] = listSchema(type);
    if (type.subresources.scale) schemas['io.k8s.api.autoscaling.v1.Scale'] = shared['io.k8s.api.autoscaling.v1.Scale'] ?? {};
  }
  for (const name of ['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector'])
    schemas[name] = shared[name] ?? {};
  schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta'] = {
    type: 'object',
    description: 'ListMeta describes metadata that synthetic resources must have.',
    properties: {
      continue: { type: 'string' },
      remainingItemCount: { type: 'integer', format: 'int64' },
      resourceVersion: { type: 'string' },
    },
  };
  schemas['io.k8s.apimachinery.pkg.apis.meta.v1.Status'] = {
    type: 'object',
    description: 'Status is a return value for calls that do not return other objects.',
    properties: {
      code: { type: 'integer', format: 'int32' },
      message: { type: 'string' },
      reason: { type: 'string' },
      status: { type: 'string' },
    },
  };
  schemas['io.k8s.apimachinery.pkg.apis.meta.v1.Patch'] = {
    type: 'object',
    description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
  };
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: serverVersion }, paths, components: { schemas } };
}

const byTypes = new WeakMap<ResourceType[], Map<string, OpenApiV3Entry>>();
// Keyed by the inputs' JSON: a rebuilt-but-identical registry reuses the built documents.
const byContent = new Map<string, OpenApiV3Entry>();

/**
 * openApiV3Entries builds (or reuses) every group-version document for a set of served types. Pass
 * the same array for the same registry generation to make repeated calls free.
 */
export function openApiV3Entries(types: ResourceType[], serverVersion = 'v1.33.1'): Map<string, OpenApiV3Entry> {
  const cached = byTypes.get(types);
  if (cached) return cached;
  const entries = new Map<string, OpenApiV3Entry>();
  for (const group of servedGroups(types)) {
    for (const version of group.versions) {
      const path = group.group ? `apis/${groupVersionString(group.group, version.version)}` : `api/${version.version}`;
      const key = `${serverVersion}\n${path}\n${JSON.stringify(version.types)}`;
      let entry = byContent.get(key);
      if (!entry) {
        const document = buildDocument(version.types, serverVersion);
        const json = JSON.stringify(document);
        // The real server advertises the upper-case hex SHA-512 of the document.
        entry = { path, document, json, hash: createHash('sha512').update(json).digest('hex').toUpperCase() };
        if (byContent.size > 500) byContent.clear();
        byContent.set(key, entry);
      }
      entries.set(path, entry);
    }
  }
  byTypes.set(types, entries);
  return entries;
}

/** `/openapi/v3`: the root listing one path per served group-version, each with a content hash. */
export function openApiV3Root(types: ResourceType[]): object {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const [path, entry] of openApiV3Entries(types)) paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${entry.hash}` };
  return { paths };
}

/** `/openapi/v3/api/v1` or `/openapi/v3/apis/G/V`, or undefined when not served. */
export function openApiV3Document(types: ResourceType[], group: string, version: string): object | undefined {
  const path = group ? `apis/${group}/${version}` : `api/${version}`;
  return openApiV3Entries(types).get(path)?.document;
}
