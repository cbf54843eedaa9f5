#!/usr/bin/env node
/**
 * `helm crdsync`: sync a chart's CustomResourceDefinitions into the cluster before `helm upgrade`
 * (Helm creates CRDs from crds/ on install but never upgrades them).
 *
 * The composition root and the only file that touches `process`. As a Helm plugin it runs with
 * Helm's plugin environment (research/crdsync.md §5.1): helm strips --debug, --kube-context,
 * -n/--namespace and --kubeconfig from our arguments and passes them as HELM_DEBUG ("true"/"false";
 * the docs say "1"), HELM_KUBECONTEXT, HELM_NAMESPACE and KUBECONFIG, so those are our defaults.
 */
import os from 'node:os';
import { hideBin } from 'yargs/helpers';
import { runCli } from '../../shared/cli/run-cli.js';
import { readToolVersion } from '../../shared/cli/tool-version.js';
import { processStreams } from '../../shared/io/streams.js';
import { createKubeConnector } from '../../shared/kube/client.js';
import { readTextFileIfExists } from '../../shared/kube/kubeconfig.js';
import { createCommands } from './commands/index.js';

// First Ctrl-C: stop at a safe point (no apply starts after it); second: exit at once, 128 + SIGINT.
const interrupt = new AbortController();
process.on('SIGINT', () => {
  if (interrupt.signal.aborted) process.exit(130);
  interrupt.abort();
});

const env = process.env;
const io = processStreams(process);
const toolVersion = readToolVersion();
const helmDebug = env.HELM_DEBUG === 'true' || env.HELM_DEBUG === '1';
const exitCode = await runCli({
  scriptName: 'helm crdsync',
  description: "Sync a chart's CRDs into the cluster (Helm never upgrades them).",
  toolVersion,
  args: hideBin(process.argv),
  io,
  debugDefault: helmDebug,
  commands: (runtime) =>
    createCommands({
      ...runtime,
      env,
      signal: interrupt.signal,
      kube: createKubeConnector({
        environment: { env, homeDir: os.homedir(), readFile: readTextFileIfExists },
        logger: runtime.logger,
        toolName: 'helm-crdsync',
        toolVersion,
        // Only set when the user passed the flag to helm (or exported it): empty means "not given".
        flagDefaults: { context: env.HELM_KUBECONTEXT || undefined, namespace: env.HELM_NAMESPACE || undefined },
      }),
    }),
});
process.exit(exitCode);
