/**
 * Builders for the sandbox unit tests: resource types and the handful of objects the patch and
 * validation rules are exercised on, so tests state only what they are about.
 */
import type { JSONSchemaProps, KubeObject, ResourceType } from '../../../sandbox/api/types.js';

/** aBuiltinType is the ResourceType of a compiled-in kind. */
export function aBuiltinType(
  kind: string,
  options: { group?: string; version?: string; namespaced?: boolean; status?: boolean } = {},
): ResourceType {
  const resource = `${kind.toLowerCase()}s`;
  return {
    group:
      options.group ?? (['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].includes(kind) ? 'apps' : kind === 'Job' ? 'batch' : ''),
    version: options.version ?? 'v1',
    resource,
    singular: kind.toLowerCase(),
    kind,
    listKind: `${kind}List`,
    namespaced: options.namespaced ?? !['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition'].includes(kind),
    verbs: [],
    shortNames: [],
    categories: [],
    subresources: { status: options.status ?? true },
    printerColumns: [],
    builtin: true,
    storage: true,
  };
}

/** aCustomType is the ResourceType of a custom resource with the given schema. */
export function aCustomType(schema: JSONSchemaProps | undefined, kind = 'Widget'): ResourceType {
  const type: ResourceType = {
    ...aBuiltinType(kind, { group: 'example.test' }),
    builtin: false,
    crdName: `${kind.toLowerCase()}s.example.test`,
    subresources: { status: false },
  };
  if (schema) type.schema = schema;
  return type;
}

interface ContainerSpec {
  name: string;
  image: string;
  [field: string]: unknown;
}

/** DeploymentBuilder builds apps/v1 Deployments. */
export class DeploymentBuilder {
  private name = 'web';
  private namespace = 'default';
  private replicas: number | undefined;
  private labels: Record<string, string> = { app: 'web' };
  private selector: Record<string, string> | undefined;
  private containers: ContainerSpec[] = [{ name: 'app', image: 'registry.example/app:1.0' }];

  named(name: string): this {
    this.name = name;
    return this;
  }

  withReplicas(replicas: number): this {
    this.replicas = replicas;
    return this;
  }

  withTemplateLabels(labels: Record<string, string>): this {
    this.labels = labels;
    return this;
  }

  withSelector(selector: Record<string, string>): this {
    this.selector = selector;
    return this;
  }

  withContainers(...containers: ContainerSpec[]): this {
    this.containers = containers;
    return this;
  }

  build(): KubeObject {
    const spec: Record<string, unknown> = {
      selector: { matchLabels: this.selector ?? { ...this.labels } },
      template: { metadata: { labels: { ...this.labels } }, spec: { containers: this.containers.map((c) => ({ ...c })) } },
    };
    if (this.replicas !== undefined) spec.replicas = this.replicas;
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: this.name, namespace: this.namespace, labels: { app: this.name } },
      spec,
    };
  }
}

/** aDeployment starts a Deployment builder. */
export function aDeployment(): DeploymentBuilder {
  return new DeploymentBuilder();
}

/** aWidget is a custom resource of kind Widget with the given spec. */
export function aWidget(spec: Record<string, unknown>, extra: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'example.test/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' }, spec, ...extra };
}

/** anObject is a minimal object of any kind. */
export function anObject(
  apiVersion: string,
  kind: string,
  fields: Record<string, unknown> = {},
  metadata: Record<string, unknown> = { name: 'x', namespace: 'default' },
): KubeObject {
  return { apiVersion, kind, metadata, ...fields };
}
