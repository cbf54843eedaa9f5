/**
 * Gloo Edge's control plane as the `gloo` chart renders it with default values (1.16/1.17):
 * Deployments `gloo`, `discovery` and `gateway-proxy` (gloo-envoy-wrapper, probing Envoy's admin
 * port), their ServiceAccounts and Services, the Settings CR `default`, the default Gateways that
 * the chart ships through ConfigMap gloo-custom-resource-config and the gloo-resource-rollout
 * Job, and the gateway-certgen hook Job. No `gateway` Deployment: it was folded into `gloo` in 1.12.
 */
import type { KubeObject } from '../../api/types.js';
import type { RenderedChart } from '../rendered-chart.js';
import { dumpObject } from '../rendered-chart.js';
import { configMap, deployment, job, podNamespaceEnv, service, serviceAccount } from '../workload-objects.js';

const registry = 'quay.io/solo-io';

function gateway(namespace: string, name: string, port: number, ssl: boolean): KubeObject {
  return {
    apiVersion: 'gateway.solo.io/v1',
    kind: 'Gateway',
    metadata: { name, namespace, labels: { app: 'gloo' } },
    spec: {
      bindAddress: '::',
      bindPort: port,
      httpGateway: {},
      useProxyProto: false,
      ssl,
      options: { accessLoggingService: { accessLog: [] } },
      proxyNames: ['gateway-proxy'],
    },
  };
}

// Envoy answers on its admin port; the chart's probes fetch /ready and /server_info there with wget.
function envoyProbe(path: string): Record<string, unknown> {
  return {
    exec: { command: ['wget', '-O', '/dev/null', `127.0.0.1:19000/${path}`] },
    initialDelaySeconds: 3,
    periodSeconds: 10,
    failureThreshold: 3,
  };
}

/** renderGlooEdge renders the gloo chart for a version into a namespace. */
export function renderGlooEdge(version: string, namespace: string): RenderedChart {
  const image = (name: string): string => `${registry}/${name}:${version}`;
  const gloo = { app: 'gloo', gloo: 'gloo' };
  const discovery = { app: 'gloo', gloo: 'discovery' };
  const proxy = { app: 'gloo', gloo: 'gateway-proxy', 'gateway-proxy-id': 'gateway-proxy' };
  const settings: KubeObject = {
    apiVersion: 'gloo.solo.io/v1',
    kind: 'Settings',
    metadata: { name: 'default', namespace, labels: { app: 'gloo', gloo: 'settings' } },
    spec: {
      discovery: { fdsMode: 'WHITELIST' },
      gateway: {
        readGatewaysFromAllNamespaces: false,
        isolateVirtualHostsBySslConfig: false,
        validation: { alwaysAccept: true, allowWarnings: true, serverEnabled: true, proxyValidationServerAddr: 'gloo:9988' },
      },
      gloo: {
        xdsBindAddr: '0.0.0.0:9977',
        restXdsBindAddr: '0.0.0.0:9976',
        proxyDebugBindAddr: '0.0.0.0:9966',
        disableKubernetesDestinations: false,
        disableProxyGarbageCollection: false,
      },
      kubernetesArtifactSource: {},
      kubernetesConfigSource: {},
      kubernetesSecretSource: {},
      refreshRate: '60s',
      discoveryNamespace: namespace,
    },
  };
  const defaultGateways = [gateway(namespace, 'gateway-proxy', 8080, false), gateway(namespace, 'gateway-proxy-ssl', 8443, true)];
  const customResourceConfig = configMap({
    name: 'gloo-custom-resource-config',
    namespace,
    labels: { app: 'gloo', gloo: 'gloo-custom-resource-config' },
    data: { 'custom-resources': defaultGateways.map(dumpObject).join('---\n') },
  });
  const rollout = job({
    name: 'gloo-resource-rollout',
    namespace,
    labels: { app: 'gloo', gloo: 'resource-rollout' },
    serviceAccountName: 'gloo-resource-rollout',
    containers: [
      {
        name: 'kubectl',
        image: image('kubectl'),
        command: ['/bin/sh', '-c', 'kubectl apply -f /etc/gloo-custom-resources/custom-resources'],
      },
    ],
    ttlSecondsAfterFinished: 300,
  });
  const certgen = job({
    name: 'gateway-certgen',
    namespace,
    labels: { app: 'gloo', gloo: 'gateway-certgen' },
    annotations: { 'helm.sh/hook': 'pre-install,pre-upgrade', 'helm.sh/hook-weight': '10' },
    serviceAccountName: 'certgen',
    containers: [
      {
        name: 'certgen',
        image: image('certgen'),
        args: [
          '--secret-name=gateway-validation-certs',
          '--svc-name=gloo',
          `--validating-webhook-configuration-name=gloo-gateway-validation-webhook-${namespace}`,
        ],
        env: [podNamespaceEnv],
      },
    ],
  });
  return {
    templates: [
      {
        path: 'templates/1-gloo-deployment.yaml',
        objects: [
          deployment({
            name: 'gloo',
            namespace,
            labels: gloo,
            selector: { gloo: 'gloo' },
            serviceAccountName: 'gloo',
            containers: [
              {
                name: 'gloo',
                image: image('gloo'),
                env: [podNamespaceEnv, { name: 'START_STATS_SERVER', value: 'true' }],
                ports: [
                  { name: 'grpc-xds', containerPort: 9977 },
                  { name: 'rest-xds', containerPort: 9976 },
                  { name: 'grpc-validation', containerPort: 9988 },
                  { name: 'grpc-proxydebug', containerPort: 9966 },
                  { name: 'wasm-cache', containerPort: 9979 },
                ],
                readinessProbe: { tcpSocket: { port: 9977 }, initialDelaySeconds: 3, periodSeconds: 10, failureThreshold: 3 },
              },
            ],
          }),
        ],
      },
      {
        path: 'templates/2-gloo-service.yaml',
        objects: [
          service({
            name: 'gloo',
            namespace,
            labels: gloo,
            selector: { gloo: 'gloo' },
            ports: [
              { name: 'grpc-xds', port: 9977 },
              { name: 'rest-xds', port: 9976 },
              { name: 'grpc-validation', port: 9988 },
              { name: 'grpc-proxydebug', port: 9966 },
              { name: 'wasm-cache', port: 9979 },
              { name: 'https', port: 443, targetPort: 8443 },
            ],
          }),
        ],
      },
      { path: 'templates/3-gloo-service-account.yaml', objects: [serviceAccount({ name: 'gloo', namespace, labels: gloo })] },
      {
        path: 'templates/4-discovery-deployment.yaml',
        objects: [
          deployment({
            name: 'discovery',
            namespace,
            labels: discovery,
            selector: { gloo: 'discovery' },
            serviceAccountName: 'discovery',
            containers: [
              {
                name: 'discovery',
                image: image('discovery'),
                env: [podNamespaceEnv],
                ports: [{ name: 'http-monitoring', containerPort: 9091 }],
              },
            ],
          }),
        ],
      },
      {
        path: 'templates/4-discovery-service-account.yaml',
        objects: [serviceAccount({ name: 'discovery', namespace, labels: discovery })],
      },
      {
        path: 'templates/7-gateway-proxy-deployment.yaml',
        objects: [
          deployment({
            name: 'gateway-proxy',
            namespace,
            labels: proxy,
            selector: { 'gateway-proxy-id': 'gateway-proxy', 'gateway-proxy': 'live' },
            podLabels: { gloo: 'gateway-proxy' },
            serviceAccountName: 'gateway-proxy',
            containers: [
              {
                name: 'gateway-proxy',
                image: image('gloo-envoy-wrapper'),
                args: ['--disable-hot-restart'],
                env: [podNamespaceEnv, { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } }],
                ports: [
                  { name: 'http', containerPort: 8080 },
                  { name: 'https', containerPort: 8443 },
                ],
                readinessProbe: envoyProbe('ready'),
                livenessProbe: envoyProbe('server_info'),
              },
            ],
          }),
        ],
      },
      {
        path: 'templates/8-gateway-proxy-service.yaml',
        objects: [
          service({
            name: 'gateway-proxy',
            namespace,
            labels: proxy,
            selector: { 'gateway-proxy-id': 'gateway-proxy', 'gateway-proxy': 'live' },
            type: 'LoadBalancer',
            ports: [
              { name: 'http', port: 80, targetPort: 8080 },
              { name: 'https', port: 443, targetPort: 8443 },
            ],
          }),
        ],
      },
      {
        path: 'templates/9-gateway-proxy-service-account.yaml',
        objects: [serviceAccount({ name: 'gateway-proxy', namespace, labels: proxy })],
      },
      {
        path: 'templates/8-default-gateways.yaml',
        objects: [
          serviceAccount({ name: 'gloo-resource-rollout', namespace, labels: { app: 'gloo', gloo: 'resource-rollout' } }),
          customResourceConfig,
          rollout,
        ],
      },
      { path: 'templates/18-settings.yaml', objects: [settings] },
    ],
    hooks: [
      {
        path: 'templates/6.5-gateway-certgen-job.yaml',
        object: serviceAccount({ name: 'certgen', namespace, labels: { app: 'gloo', gloo: 'gateway-certgen' } }),
        events: ['pre-install', 'pre-upgrade'],
        weight: 5,
        deletePolicies: ['before-hook-creation'],
      },
      {
        path: 'templates/6.5-gateway-certgen-job.yaml',
        object: certgen,
        events: ['pre-install', 'pre-upgrade'],
        weight: 10,
        deletePolicies: ['before-hook-creation'],
      },
    ],
  };
}

/** glooDefaultGateways are the Gateway CRs the rollout Job applies (kept for installers that run it). */
export function glooDefaultGateways(namespace: string): KubeObject[] {
  return [gateway(namespace, 'gateway-proxy', 8080, false), gateway(namespace, 'gateway-proxy-ssl', 8443, true)];
}
