import { strict as assert } from 'node:assert';
import {
  aggregatedContentType,
  aggregatedDiscovery,
  negotiateAggregated,
  type AggregatedVersion,
} from '../../../../sandbox/discovery/aggregated.js';
import { servedTypes } from './builders.js';

interface DiscoveryResource {
  resource: string;
  responseKind: object;
  scope: string;
  singularResource: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: Array<{ subresource: string; responseKind: object; verbs: string[] }>;
}
interface DiscoveryList {
  kind: string;
  apiVersion: string;
  items: Array<{ metadata: { name?: string }; versions: Array<{ version: string; freshness: string; resources: DiscoveryResource[] }> }>;
}

const kubectl127Accept = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
const kubectl133Accept =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

describe('aggregated discovery', () => {
  const negotiation: Array<{ title: string; accept: string | undefined; expected: AggregatedVersion | undefined }> = [
    { title: "answers v2beta1 to kubectl 1.27's Accept header", accept: kubectl127Accept, expected: 'v2beta1' },
    { title: "answers v2 to kubectl 1.33's Accept header", accept: kubectl133Accept, expected: 'v2' },
    { title: 'answers legacy JSON when only plain JSON is acceptable', accept: 'application/json, */*', expected: undefined },
    { title: "answers legacy JSON to client-node's Accept header", accept: 'application/json, */*;q=0.8', expected: undefined },
    { title: 'answers legacy JSON without an Accept header', accept: undefined, expected: undefined },
    {
      title: 'answers legacy JSON when plain JSON comes first',
      accept: 'application/json,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
      expected: undefined,
    },
    {
      title: 'skips a discovery version it does not speak',
      accept:
        'application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList',
      expected: 'v2beta1',
    },
    {
      title: 'honours quality values over order',
      accept: 'application/json;q=0.5,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
      expected: 'v2',
    },
  ];
  for (const c of negotiation) {
    it(c.title, () => assert.equal(negotiateAggregated(c.accept), c.expected));
  }

  it('labels the response with the negotiated version in its Content-Type', () => {
    assert.equal(aggregatedContentType('v2beta1'), 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList');
  });

  it('answers /api with the unnamed core group only', () => {
    const list = aggregatedDiscovery(servedTypes(), 'core', 'v2') as DiscoveryList;
    assert.equal(list.kind, 'APIGroupDiscoveryList');
    assert.equal(list.apiVersion, 'apidiscovery.k8s.io/v2');
    assert.equal(list.items.length, 1);
    assert.equal(list.items[0]?.metadata.name, undefined);
    assert.deepEqual(
      list.items[0]?.versions.map((v) => [v.version, v.freshness]),
      [['v1', 'Current']],
    );
  });

  it('answers /apis with every other group, custom versions by priority', () => {
    const list = aggregatedDiscovery(servedTypes(), 'apis', 'v2beta1') as DiscoveryList;
    assert.equal(list.apiVersion, 'apidiscovery.k8s.io/v2beta1');
    assert.equal(list.items[0]?.metadata.name, 'apps');
    const custom = list.items.find((i) => i.metadata.name === 'example.test');
    assert.deepEqual(
      custom?.versions.map((v) => v.version),
      ['v1', 'v1beta1', 'v1alpha1'],
    );
  });

  it('describes deployments with scope, singular, short names, categories and both subresources', () => {
    const list = aggregatedDiscovery(servedTypes(), 'apis', 'v2') as DiscoveryList;
    const deployments = list.items
      .find((i) => i.metadata.name === 'apps')
      ?.versions[0]?.resources.find((r) => r.resource === 'deployments');
    assert.deepEqual(deployments, {
      resource: 'deployments',
      responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' },
      scope: 'Namespaced',
      singularResource: 'deployment',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['deploy'],
      categories: ['all'],
      subresources: [
        { subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] },
        { subresource: 'status', responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' }, verbs: ['get', 'patch', 'update'] },
      ],
    });
  });

  it('marks cluster-scoped resources with scope Cluster', () => {
    const list = aggregatedDiscovery(servedTypes(), 'core', 'v2') as DiscoveryList;
    const namespaces = list.items[0]?.versions[0]?.resources.find((r) => r.resource === 'namespaces');
    assert.equal(namespaces?.scope, 'Cluster');
  });
});
