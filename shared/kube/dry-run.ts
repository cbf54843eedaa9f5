/**
 * --dry-run enforced under the commands, not in them: whatever a command's domain code does, the
 * ports a dry run hands it cannot write.
 *
 * - client: every write method answers from reads instead of sending (a create of an object that
 *   exists meets the 409 the server would give; a scale answers with the asked replicas), and
 *   each planned write is recorded, so the domain code computes the same plan it would carry
 *   out. Below the ports, the transport refuses any write request outright (rest-clients.ts), so
 *   a port method added later without a dry-run answer fails loudly instead of writing.
 * - server: every write is sent with dryRun=All, even one whose caller forgot to ask for it.
 */
import { ApiStatusError } from '../errors/errors.js';
import type { DryRun } from '../cli/flags.js';
import type { GroupVersionResource, KubeClients, KubeObject, WriteOptions } from './ports.js';

/** PlannedWrite is one write a client dry run did not send. */
export interface PlannedWrite {
  readonly verb: 'create' | 'patch' | 'apply' | 'delete' | 'scale';
  /** what names the object, e.g. "traffictargets.v1alpha2.discovery.mesh.gloo.solo.io gloo-mesh/t1". */
  readonly what: string;
}

function describe(resource: string, name: string | undefined, namespace: string | undefined): string {
  return `${resource} ${namespace ? `${namespace}/` : ''}${name ?? ''}`;
}

function gvrName(gvr: GroupVersionResource): string {
  return gvr.group ? `${gvr.resource}.${gvr.group}` : gvr.resource;
}

function alreadyExists(resource: string, name: string | undefined): ApiStatusError {
  return new ApiStatusError({ code: 409, reason: 'AlreadyExists', message: `${resource} "${name ?? ''}" already exists` });
}

async function exists<T>(read: () => Promise<T | undefined>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof ApiStatusError && err.code === 404) return undefined;
    throw err;
  }
}

/** clientDryRunClients wraps `clients` so that no write is sent; `record` receives each planned write. */
export function clientDryRunClients(clients: KubeClients, record: (write: PlannedWrite) => void): KubeClients {
  const { customObjects, crds, namespaces, scale } = clients;
  return {
    ...clients,
    customObjects: {
      ...customObjects,
      list: customObjects.list.bind(customObjects),
      get: customObjects.get.bind(customObjects),
      watch: customObjects.watch.bind(customObjects),
      async create(gvr, object) {
        const name = object.metadata?.name;
        const namespace = object.metadata?.namespace;
        if (name && (await exists(() => customObjects.get(gvr, name, namespace)))) throw alreadyExists(gvrName(gvr), name);
        record({ verb: 'create', what: describe(gvrName(gvr), name, namespace) });
        return object;
      },
      async mergePatch(gvr, name, patch, namespace) {
        const current = await customObjects.get(gvr, name, namespace);
        record({ verb: 'patch', what: describe(gvrName(gvr), name, namespace) });
        return { ...current, ...(patch as KubeObject) };
      },
      async delete(gvr, name, namespace) {
        record({ verb: 'delete', what: describe(gvrName(gvr), name, namespace) });
      },
    },
    crds: {
      ...crds,
      list: crds.list.bind(crds),
      get: crds.get.bind(crds),
      async apply(crd) {
        record({ verb: 'apply', what: describe('customresourcedefinitions.apiextensions.k8s.io', crd.metadata?.name, undefined) });
        return crd;
      },
    },
    namespaces: {
      ...namespaces,
      get: namespaces.get.bind(namespaces),
      async create(namespace) {
        const name = namespace.metadata?.name ?? '';
        if (await namespaces.get(name)) throw alreadyExists('namespaces', name);
        record({ verb: 'create', what: describe('namespaces', name, undefined) });
        return namespace;
      },
    },
    scale: {
      getScale: scale.getScale.bind(scale),
      async setReplicas(kind, namespace, name, replicas) {
        const current = await scale.getScale(kind, namespace, name);
        record({ verb: 'scale', what: `${kind.toLowerCase()}/${name} in ${namespace} to ${replicas}` });
        return { ...current, replicas };
      },
    },
  };
}

/** serverDryRunClients wraps `clients` so that every write carries dryRun=All. */
export function serverDryRunClients(clients: KubeClients): KubeClients {
  const dry = <O extends WriteOptions>(options: O | undefined): O => ({ ...(options as O), dryRun: true });
  const { customObjects, crds, namespaces, scale } = clients;
  return {
    ...clients,
    customObjects: {
      list: customObjects.list.bind(customObjects),
      get: customObjects.get.bind(customObjects),
      watch: customObjects.watch.bind(customObjects),
      create: (gvr, object, options) => customObjects.create(gvr, object, dry(options)),
      mergePatch: (gvr, name, patch, namespace, options) => customObjects.mergePatch(gvr, name, patch, namespace, dry(options)),
      delete: (gvr, name, namespace, options) => customObjects.delete(gvr, name, namespace, dry(options)),
    },
    crds: {
      list: crds.list.bind(crds),
      get: crds.get.bind(crds),
      ...(crds.watch ? { watch: crds.watch.bind(crds) } : {}),
      apply: (crd, options) => crds.apply(crd, dry(options)),
    },
    namespaces: { get: namespaces.get.bind(namespaces), create: (namespace, options) => namespaces.create(namespace, dry(options)) },
    scale: {
      getScale: scale.getScale.bind(scale),
      setReplicas: (kind, namespace, name, replicas, options) => scale.setReplicas(kind, namespace, name, replicas, dry(options)),
    },
  };
}

/** dryRunClients applies a --dry-run mode to a session's ports. */
export function dryRunClients(clients: KubeClients, mode: DryRun, record: (write: PlannedWrite) => void = () => undefined): KubeClients {
  if (mode === 'client') return clientDryRunClients(clients, record);
  if (mode === 'server') return serverDryRunClients(clients);
  return clients;
}
