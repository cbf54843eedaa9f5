/**
 * Builders for tests of the sandbox's store and API: a fresh SandboxApi with a namespace, an
 * Established CRD, and objects that state only what a test is about.
 */
import { SandboxApi } from '../../../../sandbox/api/internal-api.js';
import type { GroupVersionResource, KubeObject } from '../../../../sandbox/api/types.js';
import { aCrd } from '../../../fixtures/crd-builder.js';

/** The group/version/resources the tests use. */
export const gvr = {
  namespaces: { group: '', version: 'v1', resource: 'namespaces' },
  configmaps: { group: '', version: 'v1', resource: 'configmaps' },
  deployments: { group: 'apps', version: 'v1', resource: 'deployments' },
  crds: { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' },
  widgets: { group: 'example.test', version: 'v1', resource: 'widgets' },
} satisfies Record<string, GroupVersionResource>;

/** aNamespace builds a Namespace. */
export function aNamespace(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

/** aConfigMap builds a ConfigMap in `namespace`. */
export function aConfigMap(
  name: string,
  namespace = 'default',
  extra: Partial<KubeObject['metadata']> = {},
  data: Record<string, string> = { key: 'value' },
): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, ...extra }, data };
}

/** aWidget builds a custom resource of the test CRD. */
export function aWidget(name: string, namespace = 'default', spec: Record<string, unknown> = { size: 1 }): KubeObject {
  return { apiVersion: 'example.test/v1', kind: 'Widget', metadata: { name, namespace }, spec };
}

/** establish marks a CRD Established, as the CRD controller would. */
export function establish(api: SandboxApi, name: string): void {
  const crd = api.get(gvr.crds, undefined, name);
  if (!crd) throw new Error(`no CRD ${name}`);
  api.updateStatus(gvr.crds, {
    ...crd,
    status: {
      ...(crd.status as object),
      conditions: [
        { type: 'Established', status: 'True' },
        { type: 'NamesAccepted', status: 'True' },
      ],
    },
  });
}

/** aSandboxApi is a SandboxApi with the default namespace and, optionally, the Widget CRD (status and scale subresources) Established. */
export function aSandboxApi(options: { widgets?: boolean } = {}): SandboxApi {
  const api = new SandboxApi();
  api.create(gvr.namespaces, aNamespace('default'));
  if (options.widgets) {
    const crd = aCrd()
      .forKind('example.test', 'Widget')
      .withVersion('v1', {
        schema: {
          type: 'object',
          properties: {
            spec: { type: 'object', properties: { size: { type: 'integer' }, replicas: { type: 'integer' } } },
            status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          },
        },
      })
      .build();
    const versions = (crd.spec as { versions: Array<Record<string, unknown>> }).versions;
    for (const v of versions)
      v.subresources = {
        status: {},
        scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' },
      };
    api.create(gvr.crds, crd);
    establish(api, 'widgets.example.test');
  }
  return api;
}
