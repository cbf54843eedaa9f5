/**
 * The explicit list of `kubectl meshscale` commands (no commandDir: bundlers and pkg cannot follow it).
 */
import type { CliCommand, CliRuntime } from '../../../shared/cli/run-cli.js';
import { createVersionCommand } from '../../../shared/cli/version-command.js';
import type { KubeConnector } from '../../../shared/kube/client.js';
import { createScaleCommand } from './scale-command.js';

/** Deps are the real or fake collaborators main.ts (or a test) hands to the commands. */
export interface Deps extends CliRuntime {
  readonly kube: KubeConnector;
  /** signal aborts a running wait on Ctrl-C. */
  readonly signal?: AbortSignal;
}

/** createCommands returns every command of the plugin, in help order. */
export function createCommands(deps: Deps): CliCommand[] {
  return [
    createScaleCommand(deps, 'down'),
    createScaleCommand(deps, 'up'),
    createScaleCommand(deps, 'status'),
    createVersionCommand({
      io: deps.io,
      kube: deps.kube,
      toolName: 'kubectl-meshscale',
      toolVersion: deps.toolVersion,
      libraryVersion: deps.toolVersion,
    }),
  ];
}
