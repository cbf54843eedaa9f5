import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { decodeReleasePayload, maxReleaseBytes, ReleaseDecodeError } from '../../../shared/helm/release.js';

describe('Helm release records as meshpreflight reads them', () => {
  it('keeps the hooks with their delete policies (the gateway-certgen check needs them)', () => {
    const record = {
      name: 'gloo',
      version: 1,
      info: { status: 'deployed' },
      chart: { metadata: { name: 'gloo', version: '1.16.27' } },
      hooks: [{ name: 'gateway-certgen', kind: 'Job', events: ['pre-install', 'pre-upgrade'], delete_policies: ['before-hook-creation'] }],
    };
    const release = decodeReleasePayload(gzipSync(Buffer.from(JSON.stringify(record))).toString('base64'), 'test');
    assert.deepEqual(release.hooks, [
      { name: 'gateway-certgen', kind: 'Job', events: ['pre-install', 'pre-upgrade'], deletePolicies: ['before-hook-creation'] },
    ]);
  });

  it('refuses a record that inflates beyond the bound instead of exhausting memory (exit 3)', () => {
    const bomb = gzipSync(Buffer.alloc(maxReleaseBytes + 1, 0x20), { level: 9 }).toString('base64');
    assert.throws(
      () => decodeReleasePayload(bomb, 'Secret gloo-system/sh.helm.release.v1.gloo.v9'),
      (err: unknown) =>
        err instanceof ReleaseDecodeError &&
        err.exitCode === 3 &&
        /cannot decode Helm release Secret gloo-system\/sh\.helm\.release\.v1\.gloo\.v9: gzip:/.test(err.message),
    );
  });
});
