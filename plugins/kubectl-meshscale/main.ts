#!/usr/bin/env node
/**
 * `kubectl meshscale`: scale a service-mesh control plane down and up in the order its vendor
 * requires. The composition root: everything else (process, signals, exit) is runPlugin's.
 */
import { runPlugin } from '../../shared/cli/run-plugin.js';
import { patientRetryPolicy } from '../../shared/kube/retry.js';
import { createCommands } from './commands/index.js';

await runPlugin({
  toolName: 'kubectl-meshscale',
  scriptName: 'kubectl meshscale',
  description: 'Scale a service-mesh control plane down and up in the order its vendor requires.',
  host: 'kubectl',
  commands: createCommands,
  // Scaling waits minutes anyway, and every write it makes is safe to repeat: ride out a flaky
  // API server for longer than one-shot commands do.
  retryPolicy: patientRetryPolicy,
});
