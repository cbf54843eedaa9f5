/**
 * NGINX Service Mesh's control plane as its helm-chart renders it with default values: the API
 * (1.7, `nginx-mesh-api`) or controller (2.0, `nginx-mesh-controller`), nginx-mesh-metrics, NATS
 * with its certificate reloader, SPIRE's server (a StatefulSet, since mtls.persistentStorage is
 * on by default) and agent (a DaemonSet); 2.0 also renders MeshConfigClass and MeshConfig.
 */
import type { KubeObject } from '../../api/types.js';
import type { RenderedChart } from '../rendered-chart.js';
import { daemonSet, deployment, podNamespaceEnv, service, serviceAccount, statefulSet } from '../workload-objects.js';

const registry = 'docker-registry.nginx.com/nsm';

/** renderNginxServiceMesh renders the nginx-service-mesh chart for a version into a namespace. */
export function renderNginxServiceMesh(version: string, namespace: string): RenderedChart {
  const v2 = version.startsWith('2.');
  const spireVersion = v2 ? '1.5.6' : '1.5.4';
  const labels = (name: string): Record<string, string> => ({
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/part-of': 'nginx-service-mesh',
  });
  const selector = (name: string): Record<string, string> => ({ 'app.kubernetes.io/name': name });
  const api = v2 ? 'nginx-mesh-controller' : 'nginx-mesh-api';
  const component = (name: string, port: number, portName: string, extra: Partial<Parameters<typeof deployment>[0]> = {}): KubeObject[] => [
    serviceAccount({ name, namespace, labels: labels(name) }),
    service({ name, namespace, labels: labels(name), selector: selector(name), ports: [{ name: portName, port }] }),
    deployment({
      name,
      namespace,
      labels: labels(name),
      selector: selector(name),
      podLabels: labels(name),
      serviceAccountName: name,
      containers: [
        { name, image: `${registry}/${name}:${version}`, env: [podNamespaceEnv], ports: [{ name: portName, containerPort: port }] },
      ],
      ...extra,
    }),
  ];
  const nats = [
    serviceAccount({ name: 'nats-server', namespace, labels: labels('nats-server') }),
    service({
      name: 'nats-server',
      namespace,
      labels: labels('nats-server'),
      selector: selector('nats-server'),
      ports: [{ name: 'client', port: 4222 }],
    }),
    deployment({
      name: 'nats-server',
      namespace,
      labels: labels('nats-server'),
      selector: selector('nats-server'),
      podLabels: labels('nats-server'),
      serviceAccountName: 'nats-server',
      initContainers: [
        {
          name: 'nginx-mesh-cert-reloader-init',
          image: `${registry}/nginx-mesh-cert-reloader:${version}`,
          args: ['--cert-reloader-mode=init'],
        },
      ],
      containers: [
        { name: 'nginx-mesh-cert-reloader', image: `${registry}/nginx-mesh-cert-reloader:${version}` },
        {
          name: 'nats-server',
          image: 'nats:2.9-alpine',
          ports: [{ name: 'client', containerPort: 4222 }],
          args: ['-c', '/etc/nats/nats-server.conf'],
        },
      ],
    }),
  ];
  const spireServer = [
    serviceAccount({ name: 'spire-server', namespace, labels: labels('spire-server') }),
    service({
      name: 'spire-server',
      namespace,
      labels: labels('spire-server'),
      selector: selector('spire-server'),
      ports: [{ name: 'api', port: 8081 }],
    }),
    statefulSet({
      name: 'spire-server',
      namespace,
      serviceName: 'spire-server',
      labels: labels('spire-server'),
      selector: selector('spire-server'),
      podLabels: labels('spire-server'),
      serviceAccountName: 'spire-server',
      containers: [
        {
          name: 'spire-server',
          image: `gcr.io/spiffe-io/spire-server:${spireVersion}`,
          args: ['-config', '/run/spire/config/server.conf'],
          ports: [{ name: 'api', containerPort: 8081 }],
        },
        {
          name: 'k8s-workload-registrar',
          image: `gcr.io/spiffe-io/k8s-workload-registrar:${spireVersion}`,
          args: ['-config', '/run/spire/config/k8s-workload-registrar.conf'],
        },
      ],
    }),
  ];
  const spireAgent = [
    serviceAccount({ name: 'spire-agent', namespace, labels: labels('spire-agent') }),
    daemonSet({
      name: 'spire-agent',
      namespace,
      labels: labels('spire-agent'),
      selector: selector('spire-agent'),
      podLabels: labels('spire-agent'),
      serviceAccountName: 'spire-agent',
      initContainers: [{ name: 'init', image: 'curlimages/curl', args: ['-s', `spire-server.${namespace}:8081`] }],
      containers: [
        { name: 'spire-agent', image: `gcr.io/spiffe-io/spire-agent:${spireVersion}`, args: ['-config', '/run/spire/config/agent.conf'] },
      ],
    }),
  ];
  const templates = [
    { path: `templates/${api}.yaml`, objects: component(api, 443, 'https') },
    { path: 'templates/nginx-mesh-metrics.yaml', objects: component('nginx-mesh-metrics', 8080, 'metrics') },
    { path: 'templates/nats-server.yaml', objects: nats },
    { path: 'templates/spire-server.yaml', objects: spireServer },
    { path: 'templates/spire-agent.yaml', objects: spireAgent },
  ];
  if (v2) {
    const className = `${namespace}-meshconfig-class`;
    templates[0]?.objects.push(
      {
        apiVersion: 'nsm.nginx.com/v1alpha2',
        kind: 'MeshConfigClass',
        metadata: { name: className, labels: { 'app.kubernetes.io/part-of': 'nginx-service-mesh' } },
        spec: { controllerName: 'nsm.nginx.com/nginx-mesh-controller' },
      },
      {
        apiVersion: 'nsm.nginx.com/v1alpha2',
        kind: 'MeshConfig',
        metadata: { name: 'nginx-mesh-config', namespace, labels: { 'app.kubernetes.io/part-of': 'nginx-service-mesh' } },
        spec: {
          meshConfigClassName: className,
          accessControlMode: 'allow',
          clientMaxBodySize: '1m',
          mtls: { caKeyType: 'ec-p256', caTTL: '720h', mode: 'permissive', svidTTL: '1h' },
          nginxErrorLogLevel: 'warn',
          nginxLBMethod: 'least_time',
          nginxLogFormat: 'default',
          telemetry: {},
        },
      },
    );
  }
  return { templates, hooks: [] };
}
