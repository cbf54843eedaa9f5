/**
 * The Gloo Mesh OSS management plane as its chart renders it with default values
 * (install/helm/gloo-mesh/templates at v0.10/v0.11): Deployments `discovery` and `networking`
 * running soloio/gloo-mesh:<version>, each with a ServiceAccount and a metrics Service, and the
 * Settings CR `settings` the operators read.
 */
import type { RenderedChart } from '../rendered-chart.js';
import { deployment, podNamespaceEnv, service, serviceAccount } from '../workload-objects.js';

const metricsPort = 9091;

/** renderGlooMesh renders the gloo-mesh chart for a version into a namespace. */
export function renderGlooMesh(version: string, namespace: string): RenderedChart {
  const image = `soloio/gloo-mesh:${version}`;
  const common = [`--metrics-port=${metricsPort}`, '--settings-name=settings', `--settings-namespace=${namespace}`, '--verbose'];
  const operator = (name: 'discovery' | 'networking', extraArgs: string[]) => {
    const labels = { app: name };
    return [
      serviceAccount({ name, namespace, labels }),
      service({ name, namespace, labels, selector: labels, ports: [{ name: 'metrics', port: metricsPort }] }),
      deployment({
        name,
        namespace,
        labels,
        selector: labels,
        podAnnotations: { 'prometheus.io/path': '/metrics', 'prometheus.io/port': String(metricsPort), 'prometheus.io/scrape': 'true' },
        serviceAccountName: name,
        containers: [
          {
            name,
            image,
            args: [name, ...common, ...extraArgs],
            env: [podNamespaceEnv],
            ports: [{ name: 'metrics', containerPort: metricsPort }],
            resources: { requests: { cpu: '125m', memory: '256Mi' } },
          },
        ],
      }),
    ];
  };
  const settings = {
    apiVersion: 'settings.mesh.gloo.solo.io/v1alpha2',
    kind: 'Settings',
    metadata: { name: 'settings', namespace, labels: { app: 'gloo-mesh' } },
    // spec.istio (ingress gateway detectors) arrived with 0.11: the 0.10.7 Settings CRD has no such
    // field, and a strict server (helm 4's server-side apply) refuses it.
    spec: {
      ...(version.startsWith('0.10.') ? {} : { istio: { ingressGatewayDetectors: {} } }),
      mtls: { istio: { tlsMode: 'ISTIO_MUTUAL' } },
      networkingExtensionServers: [],
    },
  };
  return {
    templates: [
      { path: 'templates/discovery.yaml', objects: operator('discovery', []) },
      {
        path: 'templates/networking.yaml',
        objects: operator('networking', ['--disallow-intersecting-config=false', '--watch-output-types=true']),
      },
      { path: 'templates/settings.yaml', objects: [settings] },
    ],
    hooks: [],
  };
}
