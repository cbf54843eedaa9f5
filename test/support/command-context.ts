/**
 * A CommandContext for unit tests that call a command's Options directly: in-memory streams, a
 * silent logger, progress written as plain lines to the test's stderr, and the connector and
 * signal the test hands in.
 */
import type { CommandContext } from '../../shared/cli/command.js';
import { testStreams, type TestStreams } from '../../shared/io/streams.js';
import type { KubeConnector } from '../../shared/kube/client.js';
import { silentLogger } from '../../shared/log/logger.js';
import { createProgressReporter } from '../../shared/output/progress.js';

/** TestContext is a CommandContext whose streams can be read back. */
export interface TestContext extends CommandContext {
  readonly io: TestStreams;
}

/** testContext builds a context; unset collaborators throw when used. */
export function testContext(options: { io?: TestStreams; kube?: KubeConnector; signal?: AbortSignal } = {}): TestContext {
  const io = options.io ?? testStreams();
  const kube = options.kube ?? {
    resolve: () => {
      throw new Error('this test gave no kube connector');
    },
    connect: () => Promise.reject(new Error('this test gave no kube connector')),
  };
  const progress = createProgressReporter(io, { intervalMs: 0 });
  return {
    io,
    logger: silentLogger,
    scriptName: 'kubectl test',
    toolName: 'kubectl-test',
    toolVersion: '0.0.0-test',
    signal: options.signal ?? new AbortController().signal,
    onExit: () => () => undefined,
    kube,
    env: {},
    progress: (label, taskOptions) => progress.task(label, taskOptions),
  };
}
