import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { currentRelease, decodeReleaseSecret, type HelmRelease } from '../../../shared/helm/release.js';
import type { KubeObject } from '../../../shared/kube/ports.js';

function aReleaseSecret(payload: object, compress = true): KubeObject {
  const json = Buffer.from(JSON.stringify(payload));
  const helmLayer = (compress ? gzipSync(json) : json).toString('base64');
  return {
    kind: 'Secret',
    metadata: { name: 'sh.helm.release.v1.gloo.v2', namespace: 'gloo-system' },
    data: { release: Buffer.from(helmLayer).toString('base64') },
  };
}

const payload = {
  name: 'gloo',
  namespace: 'gloo-system',
  version: 2,
  info: { status: 'deployed' },
  chart: { metadata: { name: 'gloo', version: '1.17.0' } },
};

describe('Helm release Secrets', () => {
  it('decodes the double base64 and gzip layers', () => {
    const release = decodeReleaseSecret(aReleaseSecret(payload));
    assert.equal(release.chart.version, '1.17.0');
    assert.equal(release.revision, 2);
  });

  it('decodes an uncompressed early Helm 3 record', () => {
    assert.equal(decodeReleaseSecret(aReleaseSecret(payload, false)).chart.name, 'gloo');
  });

  it('rejects a Secret without a release payload with exit 3', () => {
    assert.throws(
      () => decodeReleaseSecret({ kind: 'Secret', metadata: { name: 'x' }, data: {} }),
      (err: Error & { exitCode?: number }) => err.exitCode === 3,
    );
  });

  it('picks the highest deployed revision', () => {
    const history = [3, 5, 4].map((revision) => ({ revision, status: revision === 5 ? 'failed' : 'deployed' }) as HelmRelease);
    assert.equal(currentRelease(history)?.revision, 4);
  });
});
