#!/usr/bin/env node
/**
 * `kubectl meshscale`: Scale a service-mesh control plane down and up in the order its vendor requires.
 *
 * The composition root and the only file that touches `process`: it reads argv and the
 * environment, wraps the real streams, builds the real collaborators and exits with the code
 * run-cli returns.
 */
import os from 'node:os';
import { hideBin } from 'yargs/helpers';
import { runCli } from '../../shared/cli/run-cli.js';
import { readToolVersion } from '../../shared/cli/tool-version.js';
import { processStreams } from '../../shared/io/streams.js';
import { createKubeConnector } from '../../shared/kube/client.js';
import { readTextFileIfExists } from '../../shared/kube/kubeconfig.js';
import { patientRetryPolicy } from '../../shared/kube/retry.js';
import { createCommands } from './commands/index.js';

// Ctrl-C: 128 + SIGINT, the shell convention (exit-codes.ts Interrupted).
// The first Ctrl-C aborts the running wait (state stays consistent); a second one exits at once.
const interrupt = new AbortController();
process.on('SIGINT', () => {
  if (interrupt.signal.aborted) process.exit(130);
  interrupt.abort();
});

const io = processStreams(process);
const toolVersion = readToolVersion();
const exitCode = await runCli({
  scriptName: 'kubectl meshscale',
  description: 'Scale a service-mesh control plane down and up in the order its vendor requires.',
  toolVersion,
  args: hideBin(process.argv),
  io,
  commands: (runtime) =>
    createCommands({
      ...runtime,
      signal: interrupt.signal,
      kube: createKubeConnector({
        environment: { env: process.env, homeDir: os.homedir(), readFile: readTextFileIfExists },
        logger: runtime.logger,
        // Scaling waits minutes anyway, and every write it makes is safe to repeat: ride out a
        // flaky API server for longer than one-shot commands do.
        retryPolicy: patientRetryPolicy,
        toolName: 'kubectl-meshscale',
        toolVersion,
      }),
    }),
});
process.exit(exitCode);
