import assert from 'node:assert/strict';
import type { ArgumentsCamelCase } from 'yargs';
import { RestoreOptions, type RestoreArgs } from '../../../plugins/kubectl-meshbackup/commands/restore.js';
import { InspectOptions } from '../../../plugins/kubectl-meshbackup/commands/inspect.js';
import type { KubeConnector } from '../../../shared/kube/client.js';
import { testContext } from '../../support/command-context.js';

const resolvingKube = {
  resolve: () => ({}),
  connect: () => Promise.reject(new Error('no connect in validate tests')),
} as unknown as KubeConnector;

function restoreArgs(extra: Partial<RestoreArgs>): ArgumentsCamelCase<RestoreArgs> {
  return {
    _: [],
    $0: 'x',
    filename: 'a.tgz',
    dryRun: 'none',
    existing: 'skip',
    includeStatus: false,
    concurrency: 8,
    retryTimeout: 1000,
    crdTimeout: 1000,
    output: 'table',
    ...extra,
  };
}

describe('meshbackup commands: validate is pure and real', () => {
  it('refuses a --namespace-map pair that is not FROM=TO, or names FROM twice', async () => {
    for (const [map, message] of [
      [['prod'], /--namespace-map wants FROM=TO, got "prod"/],
      [['a=b=c'], /wants FROM=TO/],
      [['a=b', 'a=c'], /--namespace-map names a twice/],
    ] as const) {
      const options = new RestoreOptions(testContext({ kube: resolvingKube }));
      options.complete(restoreArgs({ namespaceMap: [...map] }));
      assert.throws(
        () => options.validate(),
        (err: Error & { exitCode: number }) => err.exitCode === 2 && message.test(err.message),
      );
    }
  });

  it('refuses an empty --kinds name and an empty -f', () => {
    const kinds = new RestoreOptions(testContext({ kube: resolvingKube }));
    kinds.complete(restoreArgs({ kinds: [''] }));
    assert.throws(() => kinds.validate(), /--kinds takes Kind or plural\.group names/);
    const inspect = new InspectOptions(testContext());
    inspect.complete({ _: [], $0: 'x', filename: ' ', output: 'table' });
    assert.throws(() => inspect.validate(), /-f\/--filename must name an archive/);
  });
});
