import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHelmRunner, HelmError } from '../../../shared/helm/helm-runner.js';
import { pullWithHelm } from '../../../shared/charts/sources/helm-pull.js';

describe('helm runner', () => {
  let dir: string;
  let helmBin: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'helm-runner-'));
    helmBin = join(dir, 'helm');
    // A helm that never answers (a registry that accepts the connection and says nothing).
    writeFileSync(helmBin, '#!/bin/sh\nexec sleep 30\n');
    chmodSync(helmBin, 0o755);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('stops helm when the run is aborted (a --timeout), instead of waiting for it', async () => {
    const runner = createHelmRunner({ env: { HELM_BIN: helmBin, PATH: process.env.PATH } });
    const started = Date.now();
    await assert.rejects(runner.run(['pull', 'repo/chart'], { signal: AbortSignal.timeout(200) }), HelmError);
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
  });

  it('a helm pull bounded by a signal fails as a bad source, one line, naming the chart', async () => {
    const runner = createHelmRunner({ env: { HELM_BIN: helmBin, PATH: process.env.PATH } });
    const started = Date.now();
    await assert.rejects(
      pullWithHelm(runner, { reference: 'oci://registry.example.com/charts/gloo', version: '1.17.0', signal: AbortSignal.timeout(200) }),
      (err: Error & { exitCode?: number }) =>
        err.message.startsWith('helm pull oci://registry.example.com/charts/gloo --version 1.17.0 failed') &&
        !err.message.includes('\n') &&
        err.exitCode === 3,
    );
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
  });
});
