/**
 * The explicit list of `helm crdsync` commands (no commandDir: bundlers and pkg cannot follow it).
 */
import type { CliCommand, CliRuntime } from '../../../shared/cli/run-cli.js';
import { createVersionCommand } from '../../../shared/cli/version-command.js';
import type { KubeConnector } from '../../../shared/kube/client.js';
import { createSyncCommand } from './sync.js';

/** Deps are the real or fake collaborators main.ts (or a test) hands to the commands. */
export interface Deps extends CliRuntime {
  readonly kube: KubeConnector;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly signal: AbortSignal;
}

/** createCommands returns every command of the plugin, in help order. */
export function createCommands(deps: Deps): CliCommand[] {
  return [
    createSyncCommand({ io: deps.io, env: deps.env, signal: deps.signal, kube: deps.kube, toolName: 'helm-crdsync' }),
    createVersionCommand({
      io: deps.io,
      kube: deps.kube,
      toolName: 'helm-crdsync',
      toolVersion: deps.toolVersion,
      libraryVersion: deps.toolVersion,
    }),
  ];
}
