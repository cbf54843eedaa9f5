#!/usr/bin/env node
/**
 * `kubectl meshbackup`: back up, verify, diff and restore a service-mesh control plane's custom
 * resources. The composition root: everything else (process, signals, exit) is runPlugin's.
 */
import { runPlugin } from '../../shared/cli/run-plugin.js';
import { createCommands } from './commands/index.js';

await runPlugin({
  toolName: 'kubectl-meshbackup',
  scriptName: 'kubectl meshbackup',
  description: "Back up, verify, diff and restore a service-mesh control plane's custom resources.",
  host: 'kubectl',
  commands: createCommands,
});
