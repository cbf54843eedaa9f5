import { strict as assert } from 'node:assert';
import type { KubeObject, ResourceType } from '../../../../sandbox/api/types.js';
import { builtinResourceTypes } from '../../../../sandbox/resources/builtins.js';
import { resourceTypesFromCrd } from '../../../../sandbox/resources/crd.js';
import { humanDuration } from '../../../../sandbox/table/human-duration.js';
import { evaluateJsonPath } from '../../../../sandbox/table/jsonpath.js';
import { negotiateTable, toTable, toTableForObject, wantsTable } from '../../../../sandbox/table/table.js';
import { aCrd } from '../../../fixtures/crd-builder.js';

interface Table {
  kind: string;
  apiVersion: string;
  metadata: Record<string, unknown>;
  columnDefinitions: Array<{ name: string; type: string; format: string; description: string; priority: number }>;
  rows: Array<{ cells: unknown[]; object: { kind: string; apiVersion: string; metadata: Record<string, unknown> } }>;
}

const now = new Date('2026-01-01T12:00:00Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000).toISOString();

function builtin(resource: string): ResourceType {
  const type = builtinResourceTypes().find((t) => t.resource === resource);
  assert.ok(type);
  return type;
}

/** anObject builds an object created `age` minutes before the test clock. */
function anObject(kind: string, name: string, fields: Record<string, unknown> = {}, age = 5): KubeObject {
  return {
    apiVersion: 'v1',
    kind,
    metadata: { name, namespace: 'ns', creationTimestamp: minutesAgo(age), labels: { app: name }, resourceVersion: '7' },
    ...fields,
  };
}

function render(type: ResourceType, objects: KubeObject[]): Table {
  return toTable(type, objects, { resourceVersion: '42' }, { now }) as Table;
}

describe('server-side Tables', () => {
  describe('Accept negotiation', () => {
    const table = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
    const cases: Array<{ title: string; accept: string | undefined; expected: 'v1' | 'v1beta1' | undefined }> = [
      { title: "answers a v1 Table to kubectl get's Accept header", accept: table, expected: 'v1' },
      {
        title: 'answers a v1beta1 Table when that is all the client offers',
        accept: 'application/json;as=Table;v=v1beta1;g=meta.k8s.io',
        expected: 'v1beta1',
      },
      { title: 'answers plain JSON to kubectl get -o yaml', accept: 'application/json', expected: undefined },
      { title: 'answers plain JSON without an Accept header', accept: undefined, expected: undefined },
      {
        title: 'skips a protobuf Table it cannot send',
        accept: 'application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io,application/json',
        expected: undefined,
      },
    ];
    for (const c of cases) {
      it(c.title, () => {
        assert.equal(negotiateTable(c.accept), c.expected);
        assert.equal(wantsTable(c.accept), c.expected !== undefined);
      });
    }
  });

  describe('HumanDuration', () => {
    const cases: Array<[number, string]> = [
      [-1500, '0s'],
      [-5000, '<invalid>'],
      [5_000, '5s'],
      [119_000, '119s'],
      [182_000, '3m2s'],
      [300_000, '5m'],
      [12 * 60_000, '12m'],
      [(3 * 60 + 5) * 60_000, '3h5m'],
      [10 * 3600_000, '10h'],
      [49 * 3600_000, '2d1h'],
      [48 * 3600_000, '2d'],
      [30 * 86400_000, '30d'],
      [(2 * 365 + 10) * 86400_000, '2y10d'],
      [9 * 365 * 86400_000, '9y'],
    ];
    for (const [ms, expected] of cases) {
      it(`renders ${ms}ms as ${expected}`, () => assert.equal(humanDuration(ms), expected));
    }
  });

  describe('JSONPath', () => {
    const pod = {
      status: {
        conditions: [
          { type: 'Initialized', status: 'True' },
          { type: 'Ready', status: 'False' },
        ],
        containerStatuses: [{ restartCount: 2 }, { restartCount: 3 }],
      },
      metadata: { labels: { 'app.kubernetes.io/name': 'web' } },
    };
    const cases: Array<{ title: string; path: string; expected: unknown[] }> = [
      { title: 'follows field steps', path: '.status.conditions', expected: [pod.status.conditions] },
      { title: 'indexes a list', path: '.status.conditions[0].type', expected: ['Initialized'] },
      { title: 'indexes from the end', path: '.status.conditions[-1].type', expected: ['Ready'] },
      { title: 'evaluates a printer column filter expression', path: '.status.conditions[?(@.type=="Ready")].status', expected: ['False'] },
      { title: 'accepts single quotes and != in filters', path: ".status.conditions[?(@.type!='Ready')].type", expected: ['Initialized'] },
      { title: 'expands a wildcard', path: '.status.containerStatuses[*].restartCount', expected: [2, 3] },
      { title: 'reads a key with escaped dots', path: '.metadata.labels.app\\.kubernetes\\.io/name', expected: ['web'] },
      { title: 'accepts the braces kubectl templates use', path: '{.status.conditions[1].type}', expected: ['Ready'] },
      { title: 'selects nothing for a missing field', path: '.spec.replicas', expected: [] },
    ];
    for (const c of cases) {
      it(c.title, () => assert.deepEqual(evaluateJsonPath(pod, c.path), c.expected));
    }
  });

  it('renders deployments with NAME READY UP-TO-DATE AVAILABLE AGE', () => {
    const deployment = anObject('Deployment', 'discovery', {
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'discovery' } },
        template: { spec: { containers: [{ name: 'main', image: 'soloio/gloo-mesh:0.10.7' }] } },
      },
      status: { readyReplicas: 1, updatedReplicas: 2, availableReplicas: 1 },
    });
    const table = render(builtin('deployments'), [deployment]);
    assert.deepEqual(
      table.columnDefinitions.map((c) => [c.name, c.priority]),
      [
        ['Name', 0],
        ['Ready', 0],
        ['Up-to-date', 0],
        ['Available', 0],
        ['Age', 0],
        ['Containers', 1],
        ['Images', 1],
        ['Selector', 1],
      ],
    );
    assert.equal(table.columnDefinitions[0]?.format, 'name');
    assert.deepEqual(table.rows[0]?.cells, ['discovery', '1/2', 2, 1, '5m', 'main', 'soloio/gloo-mesh:0.10.7', 'app=discovery']);
  });

  it('renders pods with READY, STATUS and the summed RESTARTS', () => {
    const pod = anObject('Pod', 'web-1', {
      spec: { containers: [{ name: 'a' }, { name: 'b' }], nodeName: 'node-1' },
      status: {
        phase: 'Running',
        podIP: '10.0.0.5',
        containerStatuses: [
          { ready: true, restartCount: 1, state: { running: {} } },
          { ready: false, restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } },
        ],
      },
    });
    const table = render(builtin('pods'), [pod]);
    assert.deepEqual(table.rows[0]?.cells.slice(0, 7), ['web-1', '1/2', 'CrashLoopBackOff', 3, '5m', '10.0.0.5', 'node-1']);
  });

  it('renders services with TYPE CLUSTER-IP EXTERNAL-IP PORT(S)', () => {
    const service = anObject('Service', 'gateway', {
      spec: { type: 'LoadBalancer', clusterIP: '10.96.0.10', ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 443 }] },
      status: {},
    });
    const table = render(builtin('services'), [service]);
    assert.deepEqual(
      table.columnDefinitions.filter((c) => !c.priority).map((c) => c.name),
      ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age'],
    );
    assert.deepEqual(table.rows[0]?.cells.slice(0, 5), ['gateway', 'LoadBalancer', '10.96.0.10', '<pending>', '80:30080/TCP,443/TCP']);
  });

  it('renders namespaces, statefulsets and jobs with their real columns', () => {
    assert.deepEqual(render(builtin('namespaces'), [anObject('Namespace', 'gloo', { status: { phase: 'Active' } })]).rows[0]?.cells, [
      'gloo',
      'Active',
      '5m',
    ]);
    assert.deepEqual(
      render(builtin('statefulsets'), [
        anObject('StatefulSet', 'spire', { spec: { replicas: 3 }, status: { readyReplicas: 3 } }),
      ]).rows[0]?.cells.slice(0, 3),
      ['spire', '3/3', '5m'],
    );
    const job = anObject('Job', 'migrate', {
      spec: { completions: 1 },
      status: { succeeded: 1, startTime: minutesAgo(4), completionTime: minutesAgo(3), conditions: [{ type: 'Complete', status: 'True' }] },
    });
    assert.deepEqual(render(builtin('jobs'), [job]).rows[0]?.cells.slice(0, 5), ['migrate', 'Complete', '1/1', '60s', '5m']);
  });

  it('renders CRDs with NAME CREATED AT', () => {
    const crd = anObject('CustomResourceDefinition', 'widgets.example.test', {}, 0);
    crd.metadata.creationTimestamp = '2026-01-01T11:00:00Z';
    const table = render(builtin('customresourcedefinitions'), [crd]);
    assert.deepEqual(
      table.columnDefinitions.map((c) => c.name),
      ['Name', 'Created At'],
    );
    assert.deepEqual(table.rows[0]?.cells, ['widgets.example.test', '2026-01-01T11:00:00Z']);
  });

  it('evaluates CRD printer columns by type, leaving a missing value null', () => {
    const crd = aCrd().withVersion('v1').build();
    const version = (crd.spec as { versions: Array<Record<string, unknown>> }).versions[0];
    assert.ok(version);
    version.additionalPrinterColumns = [
      { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
      { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
      { name: 'Color', type: 'string', jsonPath: '.spec.color', priority: 1 },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ];
    const [type] = resourceTypesFromCrd(crd);
    assert.ok(type);
    const widget = anObject('Widget', 'w1', { spec: { size: 3 }, status: { conditions: [{ type: 'Ready', status: 'True' }] } }, 90);
    const table = render(type, [widget]);
    assert.deepEqual(
      table.columnDefinitions.map((c) => c.name),
      ['Name', 'Size', 'Ready', 'Color', 'Age'],
    );
    assert.deepEqual(table.rows[0]?.cells, ['w1', 3, 'True', null, '90m']);
  });

  it('gives a CRD without printer columns NAME and AGE', () => {
    const [type] = resourceTypesFromCrd(aCrd().withVersion('v1').build());
    assert.ok(type);
    assert.deepEqual(render(type, [anObject('Widget', 'w1', {}, 3)]).rows[0]?.cells, ['w1', '3m']);
  });

  it('carries each object as PartialObjectMetadata so kubectl can print NAMESPACE and LABELS', () => {
    const table = render(builtin('configmaps'), [anObject('ConfigMap', 'settings', { data: { a: '1', b: '2' } })]);
    assert.equal(table.kind, 'Table');
    assert.equal(table.apiVersion, 'meta.k8s.io/v1');
    assert.deepEqual(table.metadata, { resourceVersion: '42' });
    assert.deepEqual(table.rows[0]?.object, {
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { name: 'settings', namespace: 'ns', creationTimestamp: minutesAgo(5), labels: { app: 'settings' }, resourceVersion: '7' },
    });
    assert.deepEqual(table.rows[0]?.cells, ['settings', 2, '5m']);
  });

  it('passes the list continue token and remaining count through', () => {
    const table = toTable(builtin('configmaps'), [], { resourceVersion: '9', continue: 'abc', remainingItemCount: 3 }, { now }) as Table;
    assert.deepEqual(table.metadata, { resourceVersion: '9', continue: 'abc', remainingItemCount: 3 });
    assert.deepEqual(table.rows, []);
  });

  it('renders a single GET as a one-row Table with the object resourceVersion', () => {
    const table = toTableForObject(
      builtin('secrets'),
      anObject('Secret', 'tls', { type: 'kubernetes.io/tls', data: { 'tls.crt': 'eA==', 'tls.key': 'eQ==' } }),
      { now },
    ) as Table;
    assert.deepEqual(table.metadata, { resourceVersion: '7' });
    assert.deepEqual(
      table.rows.map((r) => r.cells),
      [['tls', 'kubernetes.io/tls', 2, '5m']],
    );
  });

  it('can leave out the column definitions for watch events after the first', () => {
    const table = toTable(
      builtin('configmaps'),
      [anObject('ConfigMap', 'x')],
      { resourceVersion: '1' },
      { now, omitColumnDefinitions: true },
    ) as Table;
    assert.deepEqual(table.columnDefinitions, []);
    assert.equal(table.rows.length, 1);
  });
});
