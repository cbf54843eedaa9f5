/**
 * Thousands of custom objects for the meshbackup fault and interruption e2e suites: synthetic
 * CRDs in one test group, seeded, read back and deleted. On the sandbox, seeding and deleting go
 * over HTTP with RawClient (as bench/meshbackup.ts does) and reading uses the in-process API; on a
 * real cluster (E2E_KUBECONFIG) everything goes through kubectl.
 */
import assert from 'node:assert/strict';
import type { SandboxHandle } from '../../../sandbox/index.js';
import { RawClient, runConcurrently } from '../../../sandbox/raw-client.js';
import { aCrd } from '../../fixtures/crd-builder.js';
import { expectSuccess, type ClientEnv, type TestCluster } from '../../support/cluster.js';
import { eventually } from '../../support/eventually.js';

/** group is the API group of the synthetic kinds (the save's --group). */
export const group = 'faults.meshbackup.test';

/** BulkKind is one synthetic kind. */
export interface BulkKind {
  readonly kind: string;
  readonly plural: string;
}

/** bulkKind names a kind of the test group. */
export function bulkKind(kind: string): BulkKind {
  return { kind, plural: `${kind.toLowerCase()}s` };
}

/** Seeded is one object's identity and the spec it must keep. */
export type Snapshot = Map<string, string>;

interface SeedObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: { size: number; color: string; labels: Record<string, string> };
}

const colors = ['red', 'green', 'blue'];

/** seedObjects spreads `count` objects of `kind` over `namespaces`, each with a distinct spec. */
export function seedObjects(kind: BulkKind, namespaces: readonly string[], count: number): SeedObject[] {
  return Array.from({ length: count }, (_, i) => ({
    apiVersion: `${group}/v1`,
    kind: kind.kind,
    metadata: {
      name: `${kind.plural}-${String(i).padStart(5, '0')}`,
      namespace: namespaces[i % namespaces.length] ?? 'default',
      labels: { seeded: 'yes' },
    },
    spec: { size: i, color: colors[i % colors.length] ?? 'red', labels: { shard: String(i % 7), owner: `team-${i % 13}` } },
  }));
}

/** canonical is JSON with object keys sorted, so specs compare equal whichever client printed them. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

/** snapshotOf is the identity → spec map of seed objects, comparable with {@link BulkTarget.snapshot}. */
export function snapshotOf(objects: readonly SeedObject[]): Snapshot {
  return new Map(objects.map((object) => [`${object.metadata.namespace}/${object.metadata.name}`, canonical(object.spec)]));
}

/** assertSameSet compares two snapshots by name and spec, naming a few differences. */
export function assertSameSet(actual: Snapshot, expected: Snapshot, what: string): void {
  const missing = [...expected.keys()].filter((key) => !actual.has(key));
  const extra = [...actual.keys()].filter((key) => !expected.has(key));
  const changed = [...expected.keys()].filter((key) => actual.has(key) && actual.get(key) !== expected.get(key));
  assert.deepEqual(
    { missing: missing.length, extra: extra.length, changed: changed.length },
    { missing: 0, extra: 0, changed: 0 },
    `${what}: missing ${missing.slice(0, 5).join(', ')}; extra ${extra.slice(0, 5).join(', ')}; changed ${changed.slice(0, 5).join(', ')}`,
  );
}

/** BulkTarget writes and reads the synthetic kinds on the sandbox or a real cluster. */
export class BulkTarget {
  private raw?: RawClient;

  constructor(
    private readonly cluster: TestCluster & { sandbox?: SandboxHandle },
    private readonly client: ClientEnv,
  ) {
    if (cluster.sandbox) this.raw = RawClient.fromKubeconfig(cluster.kubeconfig, undefined, 16);
  }

  /** install creates the CRDs and namespaces and waits until the CRDs are Established. */
  async install(kinds: readonly BulkKind[], namespaces: readonly string[]): Promise<void> {
    const crds = kinds.map((kind) => aCrd().forKind(group, kind.kind).withVersion('v1').build());
    const nsObjects = namespaces.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
    if (this.raw) {
      for (const crd of crds)
        await this.expect(this.raw.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd), 201);
      for (const ns of nsObjects) await this.expect(this.raw.request('POST', '/api/v1/namespaces', ns), 201);
    } else {
      expectSuccess(
        await this.client.kubectl(['apply', '-f', '-'], {
          input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [...crds, ...nsObjects] }),
        }),
        'install CRDs',
      );
    }
    expectSuccess(
      await this.client.kubectl([
        'wait',
        '--for=condition=Established',
        '--timeout=60s',
        ...kinds.map((kind) => `crd/${kind.plural}.${group}`),
      ]),
      'wait for the CRDs',
    );
  }

  /** seed creates the objects (no faults must be set). */
  async seed(objects: readonly SeedObject[]): Promise<void> {
    if (this.raw) {
      const raw = this.raw;
      await runConcurrently(objects.length, 16, async (i) => {
        const object = objects[i];
        if (!object) return;
        await this.expect(
          raw.request('POST', `/apis/${group}/v1/namespaces/${object.metadata.namespace}/${object.kind.toLowerCase()}s`, object),
          201,
        );
      });
      return;
    }
    for (let start = 0; start < objects.length; start += 500) {
      const items = objects.slice(start, start + 500);
      expectSuccess(
        await this.client.kubectl(['create', '-f', '-'], {
          input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items }),
          timeoutMs: 600_000,
        }),
        'seed',
      );
    }
  }

  /** snapshot reads every object of `kind` as identity → spec. */
  async snapshot(kind: BulkKind): Promise<Snapshot> {
    const sandbox = this.cluster.sandbox;
    let items: Array<{ metadata?: { name?: string; namespace?: string }; spec?: unknown }>;
    if (sandbox) {
      items = sandbox.api.list({ group, version: 'v1', resource: kind.plural });
    } else {
      const listed = expectSuccess(await this.client.kubectl(['get', `${kind.plural}.${group}`, '-A', '-o', 'json']), 'list');
      items = (JSON.parse(listed.stdout) as { items: typeof items }).items;
    }
    return new Map(items.map((item) => [`${item.metadata?.namespace ?? ''}/${item.metadata?.name ?? ''}`, canonical(item.spec)]));
  }

  /** count is how many objects of `kind` exist now (cheap on the sandbox). */
  async count(kind: BulkKind): Promise<number> {
    if (this.cluster.sandbox) return this.cluster.sandbox.api.list({ group, version: 'v1', resource: kind.plural }).length;
    const listed = await this.client.kubectl(['get', `${kind.plural}.${group}`, '-A', '-o', 'name']);
    return listed.stdout.split('\n').filter(Boolean).length;
  }

  /**
   * progress is a cheap running count of objects of `kind` created since `since` was called: on
   * the sandbox the 201s in its audit log (listing would clone every object on the event loop the
   * sandbox shares with the process under test), elsewhere {@link BulkTarget.count}.
   */
  async progress(kind: BulkKind): Promise<number> {
    const sandbox = this.cluster.sandbox;
    if (!sandbox) {
      // One object and the server's remainingItemCount: no full list on each probe.
      const page = expectSuccess(await this.client.kubectl(['get', '--raw', `/apis/${group}/v1/${kind.plural}?limit=1`]), 'count');
      const list = JSON.parse(page.stdout) as { items: unknown[]; metadata?: { remainingItemCount?: number } };
      return list.items.length + (list.metadata?.remainingItemCount ?? 0);
    }
    const prefix = `/apis/${group}/v1/namespaces/`;
    const suffix = `/${kind.plural}`;
    return sandbox.audit
      .entries()
      .filter((entry) => entry.verb === 'create' && entry.code === 201 && entry.path.startsWith(prefix) && entry.path.endsWith(suffix))
      .length;
  }

  /** since starts {@link BulkTarget.progress} from the current state (which must hold no object of the kind). */
  since(): void {
    this.cluster.sandbox?.audit.clear();
  }

  /** deleteAll deletes every object of the kinds in the namespaces and waits until none is left. */
  async deleteAll(kinds: readonly BulkKind[], namespaces: readonly string[]): Promise<void> {
    for (const kind of kinds) {
      if (this.raw) {
        for (const ns of namespaces)
          await this.expect(this.raw.request('DELETE', `/apis/${group}/v1/namespaces/${ns}/${kind.plural}`), 200);
      } else {
        expectSuccess(
          await this.client.kubectl(['delete', `${kind.plural}.${group}`, '--all', '-A', '--wait=false'], { timeoutMs: 600_000 }),
          'delete',
        );
      }
      await eventually(async () => assert.equal(await this.count(kind), 0), 60_000, 200);
    }
  }

  /** dispose closes connections and, on a real cluster, removes the CRDs (and so their objects) and namespaces. */
  async dispose(kinds: readonly BulkKind[], namespaces: readonly string[]): Promise<void> {
    this.raw?.close();
    if (this.cluster.sandbox) return;
    await this.client.kubectl(['delete', 'crd', ...kinds.map((kind) => `${kind.plural}.${group}`), '--ignore-not-found', '--wait=false']);
    await this.client.kubectl(['delete', 'namespace', ...namespaces, '--ignore-not-found', '--wait=false']);
  }

  private async expect(response: Promise<{ status: number; body: string }>, status: number): Promise<void> {
    const result = await response;
    if (result.status !== status) throw new Error(`expected HTTP ${status}, got ${result.status}: ${result.body.slice(0, 300)}`);
  }
}

/** restoreSummary parses restore's per-kind table into numbers by column. */
export function restoreSummary(stdout: string): Map<string, Record<string, number>> {
  const lines = stdout.split('\n').filter((line) => line.trim() !== '');
  const headerIndex = lines.findIndex((line) => /^KIND\s+CREATED\s+UPDATED\s+UNCHANGED\s+SKIPPED\s+FAILED\s*$/.test(line));
  assert.ok(headerIndex >= 0, `no summary table in:\n${stdout}`);
  const header = (lines[headerIndex] ?? '')
    .trim()
    .split(/\s+/)
    .slice(1)
    .map((name) => name.toLowerCase());
  const rows = new Map<string, Record<string, number>>();
  for (const line of lines.slice(headerIndex + 1)) {
    const [kind, ...cells] = line.trim().split(/\s+/);
    if (!kind || cells.length !== header.length || cells.some((cell) => !/^\d+$/.test(cell))) break;
    rows.set(kind, Object.fromEntries(header.map((name, i) => [name, Number(cells[i])])));
  }
  return rows;
}
