import { strict as assert } from 'node:assert';
import { gunzipSync } from 'node:zlib';
import {
  decodeHelmReleaseSecret,
  encodeHelmReleaseSecret,
  helmReleaseSecretName,
  type HelmRelease,
} from '../../../../sandbox/products/helm-release.js';

function aRelease(): HelmRelease {
  return {
    name: 'nsm',
    namespace: 'nginx-mesh',
    version: 1,
    info: {
      first_deployed: '2026-01-01T00:00:00Z',
      last_deployed: '2026-01-01T00:00:00Z',
      deleted: '',
      description: 'Install complete',
      status: 'deployed',
    },
    chart: {
      metadata: { apiVersion: 'v2', name: 'nginx-service-mesh', version: '0.7.0', appVersion: '1.7.0', kubeVersion: '>= 1.22-0' },
      templates: [],
      values: {},
    },
    config: {},
    manifest: '---\n# Source: nginx-service-mesh/templates/x.yaml\nkind: ServiceAccount\n',
    hooks: [],
  };
}

describe('the Helm release Secret encoding', function () {
  it('round-trips a release through the Secret', function () {
    const release = aRelease();
    assert.deepEqual(decodeHelmReleaseSecret(encodeHelmReleaseSecret(release)), release);
  });

  it("stores Helm's base64 of gzipped JSON under one more base64 layer, with Helm's name, type and labels", function () {
    const secret = encodeHelmReleaseSecret(aRelease(), new Date('2026-01-01T00:00:10Z'));
    assert.equal(secret.metadata.name, 'sh.helm.release.v1.nsm.v1');
    assert.equal(secret.type, 'helm.sh/release.v1');
    assert.deepEqual(secret.metadata.labels, {
      createdAt: '1767225610',
      modifiedAt: '1767225610',
      name: 'nsm',
      owner: 'helm',
      status: 'deployed',
      version: '1',
    });
    const helmText = Buffer.from((secret.data as { release: string }).release, 'base64').toString('utf8');
    const gzipped = Buffer.from(helmText, 'base64');
    assert.deepEqual([...gzipped.subarray(0, 2)], [0x1f, 0x8b]);
    assert.equal(JSON.parse(gunzipSync(gzipped).toString('utf8')).chart.metadata.version, '0.7.0');
  });

  it('decodes releases Helm stored without gzip, as early Helm 3 did', function () {
    const plain = Buffer.from(Buffer.from(JSON.stringify(aRelease())).toString('base64')).toString('base64');
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: helmReleaseSecretName('nsm', 1) }, data: { release: plain } };
    assert.equal(decodeHelmReleaseSecret(secret).name, 'nsm');
  });
});
