import { strict as assert } from 'node:assert';
import type { KubeObject } from '../../../../sandbox/api/types.js';
import { defaultObject, imagePullPolicyFor } from '../../../../sandbox/validation/index.js';
import { aBuiltinType, aCustomType, aDeployment, anObject } from '../builders.js';

function at(object: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (node, key) =>
        node === undefined || node === null
          ? undefined
          : ((node as Record<string, unknown>)[/^\d+$/.test(key) ? Number(key) : key] as unknown),
      object,
    );
}

describe('built-in defaulting', function () {
  const podTemplate = {
    metadata: { labels: { app: 'x' } },
    spec: { containers: [{ name: 'c', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }] },
  };
  const cases: Array<{ title: string; kind: string; object: KubeObject; expected: Record<string, unknown> }> = [
    {
      title: 'defaults a Deployment the way kubectl rollout status and helm read it',
      kind: 'Deployment',
      object: aDeployment().build(),
      expected: {
        'spec.replicas': 1,
        'spec.strategy.type': 'RollingUpdate',
        'spec.strategy.rollingUpdate.maxSurge': '25%',
        'spec.strategy.rollingUpdate.maxUnavailable': '25%',
        'spec.revisionHistoryLimit': 10,
        'spec.progressDeadlineSeconds': 600,
        'spec.template.spec.restartPolicy': 'Always',
        'spec.template.spec.dnsPolicy': 'ClusterFirst',
        'spec.template.spec.terminationGracePeriodSeconds': 30,
        'spec.template.spec.schedulerName': 'default-scheduler',
        'spec.template.spec.containers.0.imagePullPolicy': 'IfNotPresent',
        'spec.template.spec.containers.0.terminationMessagePath': '/dev/termination-log',
        'spec.template.spec.containers.0.terminationMessagePolicy': 'File',
      },
    },
    {
      title: 'gives a StatefulSet the RollingUpdate strategy kubectl rollout status insists on',
      kind: 'StatefulSet',
      object: anObject('apps/v1', 'StatefulSet', {
        spec: { serviceName: 's', selector: { matchLabels: { app: 'x' } }, template: podTemplate },
      }),
      expected: {
        'spec.replicas': 1,
        'spec.updateStrategy.type': 'RollingUpdate',
        'spec.updateStrategy.rollingUpdate.partition': 0,
        'spec.podManagementPolicy': 'OrderedReady',
        'spec.revisionHistoryLimit': 10,
      },
    },
    {
      title: 'defaults a DaemonSet update strategy',
      kind: 'DaemonSet',
      object: anObject('apps/v1', 'DaemonSet', { spec: { template: podTemplate } }),
      expected: {
        'spec.updateStrategy.type': 'RollingUpdate',
        'spec.updateStrategy.rollingUpdate.maxUnavailable': 1,
        'spec.revisionHistoryLimit': 10,
      },
    },
    {
      title: 'defaults a Job and derives its selector from the uid',
      kind: 'Job',
      object: anObject(
        'batch/v1',
        'Job',
        { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'i' }] } } } },
        { name: 'gateway-certgen', namespace: 'gloo-system', uid: 'u-1' },
      ),
      expected: {
        'spec.backoffLimit': 6,
        'spec.completions': 1,
        'spec.parallelism': 1,
        'spec.completionMode': 'NonIndexed',
        'spec.template.spec.restartPolicy': 'Never',
      },
    },
    {
      title: 'defaults a Service type, affinity, protocol, target port and cluster IP',
      kind: 'Service',
      object: anObject('v1', 'Service', { spec: { ports: [{ port: 8080 }] } }),
      expected: {
        'spec.type': 'ClusterIP',
        'spec.sessionAffinity': 'None',
        'spec.ports.0.protocol': 'TCP',
        'spec.ports.0.targetPort': 8080,
      },
    },
    {
      title: 'defaults a Secret type to Opaque',
      kind: 'Secret',
      object: anObject('v1', 'Secret', { data: {} }),
      expected: { type: 'Opaque' },
    },
    {
      title: 'gives a Namespace its kubernetes finalizer, Active phase and name label',
      kind: 'Namespace',
      object: anObject('v1', 'Namespace', {}, { name: 'gloo-system' }),
      expected: { 'spec.finalizers.0': 'kubernetes', 'status.phase': 'Active' },
    },
  ];
  for (const c of cases) {
    it(c.title, function () {
      const defaulted = defaultObject(aBuiltinType(c.kind), c.object);
      for (const [path, value] of Object.entries(c.expected)) assert.deepEqual(at(defaulted, path), value, path);
    });
  }

  it('labels the Job template with the controller uid it selects on', function () {
    const job = defaultObject(
      aBuiltinType('Job'),
      anObject(
        'batch/v1',
        'Job',
        { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'i' }] } } } },
        { name: 'j', namespace: 'd', uid: 'u-1' },
      ),
    );
    assert.deepEqual(at(job, 'spec.selector.matchLabels'), { 'batch.kubernetes.io/controller-uid': 'u-1' });
    assert.equal((at(job, 'spec.template.metadata.labels') as Record<string, string>)['job-name'], 'j');
  });

  it('allocates a Service cluster IP inside 10.96.0.0/12, the same one every time', function () {
    const svc = anObject('v1', 'Service', { spec: { ports: [{ port: 80 }] } }, { name: 'gloo', namespace: 'gloo-system' });
    const first = at(defaultObject(aBuiltinType('Service'), svc), 'spec.clusterIP') as string;
    assert.match(first, /^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/);
    assert.equal(at(defaultObject(aBuiltinType('Service'), svc), 'spec.clusterIP'), first);
  });

  it('labels a namespace with its own name', function () {
    const ns = defaultObject(aBuiltinType('Namespace'), anObject('v1', 'Namespace', {}, { name: 'gloo-system' }));
    assert.equal(ns.metadata.labels?.['kubernetes.io/metadata.name'], 'gloo-system');
  });

  it('keeps values the client set', function () {
    const defaulted = defaultObject(aBuiltinType('Deployment'), aDeployment().withReplicas(0).build());
    assert.equal(at(defaulted, 'spec.replicas'), 0);
  });

  it('never mutates its input', function () {
    const input = aDeployment().build();
    const before = JSON.stringify(input);
    defaultObject(aBuiltinType('Deployment'), input);
    assert.equal(JSON.stringify(input), before);
  });

  it('leaves custom resources alone', function () {
    const cr = anObject('example.test/v1', 'Widget', { spec: {} });
    assert.deepEqual(defaultObject(aCustomType(undefined), cr), cr);
  });

  const pullPolicies: Array<[string, string]> = [
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.25', 'IfNotPresent'],
    ['localhost:5000/app', 'Always'],
    ['localhost:5000/app:2', 'IfNotPresent'],
    ['app@sha256:abc', 'IfNotPresent'],
  ];
  for (const [image, policy] of pullPolicies) {
    it(`defaults imagePullPolicy of ${image} to ${policy}`, function () {
      assert.equal(imagePullPolicyFor(image), policy);
    });
  }
});
