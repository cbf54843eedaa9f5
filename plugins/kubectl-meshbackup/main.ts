#!/usr/bin/env node
/**
 * `kubectl meshbackup`: Back up, verify, diff and restore a service-mesh control plane's custom resources.
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
import { createCommands } from './commands/index.js';
import { Interrupt, interruptedLine } from './commands/interrupt.js';

// Ctrl-C: 128 + SIGINT, the shell convention (exit-codes.ts Interrupted). A save stops cleanly
// on the first one; anything else (or a second one) exits at once.
const interrupt = new Interrupt();
process.on('SIGINT', () => {
  if (interrupt.onSigint() === 'abort') return;
  interrupt.runCleanups();
  process.stderr.write(interruptedLine);
  process.exit(130);
});

const io = processStreams(process);
const toolVersion = readToolVersion();
const exitCode = await runCli({
  scriptName: 'kubectl meshbackup',
  description: "Back up, verify, diff and restore a service-mesh control plane's custom resources.",
  toolVersion,
  args: hideBin(process.argv),
  io,
  commands: (runtime) =>
    createCommands({
      ...runtime,
      interrupt,
      kube: createKubeConnector({
        environment: { env: process.env, homeDir: os.homedir(), readFile: readTextFileIfExists },
        logger: runtime.logger,
        toolName: 'kubectl-meshbackup',
        toolVersion,
      }),
    }),
});
process.exit(exitCode);
