#!/usr/bin/env node
/**
 * `kubectl meshpreflight`: check versions, the upgrade path and readiness before upgrading a
 * service-mesh control plane. The composition root: everything else is runPlugin's.
 */
import { runPlugin } from '../../shared/cli/run-plugin.js';
import { createCommands } from './commands/index.js';

await runPlugin({
  toolName: 'kubectl-meshpreflight',
  scriptName: 'kubectl meshpreflight',
  description: 'Check versions, the upgrade path and readiness before upgrading a service-mesh control plane.',
  host: 'kubectl',
  commands: createCommands,
});
