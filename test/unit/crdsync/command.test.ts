import assert from 'node:assert/strict';
import { SyncCommandOptions, type SyncArgs } from '../../../plugins/helm-crdsync/commands/sync-options.js';
import type { CommandContext } from '../../../shared/cli/command.js';
import { UsageError } from '../../../shared/errors/errors.js';
import { testStreams } from '../../../shared/io/streams.js';

/** A context whose kube connector fails the test if anything tries to connect: validate is pure. */
function context(): CommandContext {
  const fail = () => assert.fail('validate must not connect');
  return {
    io: testStreams(),
    logger: { level: 0, enabled: () => false, info: () => undefined, warn: () => undefined, v: () => undefined },
    scriptName: 'helm crdsync',
    toolName: 'helm-crdsync',
    toolVersion: '0.0.0',
    signal: new AbortController().signal,
    onExit: () => () => undefined,
    kube: { resolve: fail, connect: fail },
    env: {},
    progress: () => assert.fail('no progress in validate'),
  } as unknown as CommandContext;
}

const defaults: SyncArgs = {
  insecureHttp: false,
  allowDowngrade: false,
  allowBreaking: false,
  forceConflicts: false,
  diff: false,
  detailedExitcode: false,
  wait: true,
  timeout: 300_000,
  concurrency: 8,
  dryRun: 'none',
  output: 'table',
};

function validate(args: Partial<SyncArgs>): void {
  const options = new SyncCommandOptions(context());
  options.complete({ ...defaults, ...args });
  options.validate();
}

describe('crdsync: helm crdsync flag rules', () => {
  const refused: Array<[string, Partial<SyncArgs>, RegExp]> = [
    ['an invalid version string', { version: 'one.two' }, /invalid --version "one\.two"/],
    ['nothing to sync from', {}, /give --version V/],
    ['--github with a CHART', { github: 'solo-io/gloo', chart: 'gloo/gloo', ref: 'v1' }, /either a CHART or --github/],
    ['--github that is not OWNER/REPO', { github: 'gloo', ref: 'v1' }, /expected OWNER\/REPO/],
    ['--github without --ref or --version', { github: 'solo-io/gloo' }, /needs --ref TAG or --version/],
    ['--ref without --github', { chart: 'gloo/gloo', ref: 'v1' }, /only apply with --github/],
    ['--repo with a chart reference instead of a name', { chart: 'gloo/gloo', repo: 'https://x.example' }, /CHART is a chart name/],
    ['an unknown profile', { version: '1.0.0', profile: 'istio' }, /istio/],
  ];
  for (const [what, args, message] of refused) {
    it(`refuses ${what} as a usage error (exit 2) before connecting`, () => {
      assert.throws(
        () => validate(args),
        (err: unknown) => err instanceof UsageError && message.test(err.message),
      );
    });
  }

  it('accepts a version alone, a chart alone, and --github with a version', () => {
    assert.doesNotThrow(() => validate({ version: '0.11.3' }));
    assert.doesNotThrow(() => validate({ chart: './gloo-1.17.0.tgz' }));
    assert.doesNotThrow(() => validate({ github: 'solo-io/gloo-mesh', version: 'v0.11.3' }));
  });
});
