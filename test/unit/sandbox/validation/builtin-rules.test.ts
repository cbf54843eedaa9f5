import { strict as assert } from 'node:assert';
import { invalid } from '../../../../sandbox/api/status.js';
import type { KubeObject } from '../../../../sandbox/api/types.js';
import { defaultObject, validateBuiltin } from '../../../../sandbox/validation/index.js';
import { aBuiltinType, aDeployment, anObject } from '../builders.js';

function certgenJob(image: string): KubeObject {
  return anObject(
    'batch/v1',
    'Job',
    {
      spec: {
        template: {
          metadata: { labels: { gloo: 'gateway-certgen' } },
          spec: { restartPolicy: 'OnFailure', serviceAccountName: 'certgen', containers: [{ name: 'certgen', image }] },
        },
      },
    },
    { name: 'gateway-certgen', namespace: 'gloo-system', uid: 'uid-1' },
  );
}

function podSpecOf(job: KubeObject): Record<string, unknown> {
  return ((job.spec as Record<string, unknown>).template as Record<string, Record<string, unknown>>).spec as Record<string, unknown>;
}

describe('built-in validation rules', function () {
  it('rejects a Deployment whose selector does not match its template labels, as a real server words it', function () {
    const deployment = aDeployment().withSelector({ app: 'web' }).withTemplateLabels({ app: 'api' }).build();
    assert.deepEqual(validateBuiltin(aBuiltinType('Deployment'), deployment, undefined), [
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: map[string]string{"app":"api"}: `selector` does not match template `labels`',
        field: 'spec.template.metadata.labels',
      },
    ]);
  });

  it('refuses to change a Deployment selector after creation', function () {
    const old = aDeployment().build();
    const changed = aDeployment().withSelector({ app: 'web', tier: 'front' }).withTemplateLabels({ app: 'web', tier: 'front' }).build();
    const causes = validateBuiltin(aBuiltinType('Deployment'), changed, old);
    assert.equal(
      invalid('apps', 'Deployment', 'web', causes).message,
      'Deployment.apps "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "tier":"front"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    );
  });

  const workloadCases: Array<{ title: string; kind: string; spec: Record<string, unknown>; field: string; message: RegExp }> = [
    {
      title: 'requires a selector on a StatefulSet',
      kind: 'StatefulSet',
      spec: { template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
      field: 'spec.selector',
      message: /^Required value$/,
    },
    {
      title: 'rejects an empty selector on a DaemonSet',
      kind: 'DaemonSet',
      spec: { selector: {}, template: { spec: { containers: [{ name: 'c', image: 'i' }] } } },
      field: 'spec.selector',
      message: /empty selector is invalid for daemonset/,
    },
    {
      title: 'requires a container image',
      kind: 'ReplicaSet',
      spec: {
        selector: { matchLabels: { a: 'b' } },
        template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c' }] } },
      },
      field: 'spec.template.spec.containers[0].image',
      message: /^Required value$/,
    },
    {
      title: 'rejects a negative replica count',
      kind: 'Deployment',
      spec: {
        replicas: -1,
        selector: { matchLabels: { a: 'b' } },
        template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
      },
      field: 'spec.replicas',
      message: /must be greater than or equal to 0/,
    },
  ];
  for (const c of workloadCases) {
    it(c.title, function () {
      const causes = validateBuiltin(aBuiltinType(c.kind), anObject('apps/v1', c.kind, { spec: c.spec }), undefined);
      assert.equal(causes.length, 1, JSON.stringify(causes));
      assert.equal(causes[0]?.field, c.field);
      assert.match(causes[0]?.message ?? '', c.message);
    });
  }

  it('refuses a new pod template for an existing Job, which is what breaks a Gloo upgrade with a leftover gateway-certgen Job', function () {
    const jobs = aBuiltinType('Job');
    const live = defaultObject(jobs, certgenJob('quay.io/solo-io/certgen:1.16.27'));
    // helm upgrade sends the chart's Job with the new certgen image over the Job the previous release left behind.
    const upgraded = structuredClone(live);
    podSpecOf(upgraded).containers = [{ name: 'certgen', image: 'quay.io/solo-io/certgen:1.17.0' }];
    const causes = validateBuiltin(jobs, upgraded, live);
    assert.equal(causes.length, 1, JSON.stringify(causes));
    assert.equal(causes[0]?.field, 'spec.template');
    const message = invalid('batch', 'Job', 'gateway-certgen', causes).message;
    assert.match(
      message,
      /^Job\.batch "gateway-certgen" is invalid: spec\.template: Invalid value: core\.PodTemplateSpec\{ObjectMeta:v1\.ObjectMeta\{.*certgen:1\.17\.0.*\}: field is immutable$/,
    );
  });

  it('accepts an unchanged Job update', function () {
    const jobs = aBuiltinType('Job');
    const live = defaultObject(jobs, certgenJob('quay.io/solo-io/certgen:1.16.27'));
    assert.deepEqual(validateBuiltin(jobs, live, live), []);
  });

  it('requires OnFailure or Never as a Job restart policy', function () {
    const job = certgenJob('i');
    podSpecOf(job).restartPolicy = 'Always';
    const causes = validateBuiltin(aBuiltinType('Job'), job, undefined);
    assert.equal(causes[0]?.message, 'Unsupported value: "Always": supported values: "OnFailure", "Never"');
  });

  const immutableCases: Array<{
    title: string;
    kind: string;
    old: Record<string, unknown>;
    next: Record<string, unknown>;
    expected: Array<[string, string]>;
  }> = [
    {
      title: 'forbids changing the data of an immutable Secret',
      kind: 'Secret',
      old: { immutable: true, data: { a: 'MQ==' } },
      next: { immutable: true, data: { a: 'Mg==' } },
      expected: [['data', 'Forbidden: field is immutable when `immutable` is set']],
    },
    {
      title: 'forbids making an immutable ConfigMap mutable again',
      kind: 'ConfigMap',
      old: { immutable: true, data: { a: '1' } },
      next: { data: { a: '1' } },
      expected: [['immutable', 'Forbidden: field is immutable when `immutable` is set']],
    },
    {
      title: 'allows changing a mutable ConfigMap',
      kind: 'ConfigMap',
      old: { data: { a: '1' } },
      next: { data: { a: '2' } },
      expected: [],
    },
    {
      title: 'forbids changing a Secret type',
      kind: 'Secret',
      old: { type: 'Opaque' },
      next: { type: 'kubernetes.io/tls' },
      expected: [['type', 'Invalid value: "kubernetes.io/tls": field is immutable']],
    },
    {
      title: 'refuses a new cluster IP for an existing Service',
      kind: 'Service',
      old: { spec: { clusterIP: '10.96.0.20', ports: [{ port: 80 }] } },
      next: { spec: { clusterIP: 'None', ports: [{ port: 80 }] } },
      expected: [['spec.clusterIPs[0]', 'Invalid value: []string{"None"}: may not change once set']],
    },
    {
      title: 'keeps the cluster IP when an update leaves it empty',
      kind: 'Service',
      old: { spec: { clusterIP: '10.96.0.20', ports: [{ port: 80 }] } },
      next: { spec: { ports: [{ port: 80 }] } },
      expected: [],
    },
  ];
  for (const c of immutableCases) {
    it(c.title, function () {
      const causes = validateBuiltin(aBuiltinType(c.kind), anObject('v1', c.kind, c.next), anObject('v1', c.kind, c.old));
      assert.deepEqual(
        causes.map((cause) => [cause.field, cause.message]),
        c.expected,
      );
    });
  }

  it('forbids changing StatefulSet fields other than the updatable ones', function () {
    const spec = {
      serviceName: 'db',
      selector: { matchLabels: { a: 'b' } },
      template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
    };
    const old = anObject('apps/v1', 'StatefulSet', { spec });
    const next = anObject('apps/v1', 'StatefulSet', { spec: { ...spec, volumeClaimTemplates: [{ metadata: { name: 'data' } }] } });
    const causes = validateBuiltin(aBuiltinType('StatefulSet'), next, old);
    assert.deepEqual(
      causes.map((c) => c.message),
      [
        "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
      ],
    );
  });
});
