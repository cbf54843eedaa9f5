/**
 * The explicit list of `kubectl meshpreflight` commands (no commandDir: bundlers and pkg cannot follow it).
 */
import type { CliCommand, CliRuntime } from '../../../shared/cli/run-cli.js';
import { createVersionCommand } from '../../../shared/cli/version-command.js';
import { createPreflightCommand, type PreflightDeps } from './preflight-command.js';

/** Deps are the real or fake collaborators main.ts (or a test) hands to the commands. */
export interface Deps extends CliRuntime, Omit<PreflightDeps, 'io'> {}

/** createCommands returns every command of the plugin, in help order. */
export function createCommands(deps: Deps): CliCommand[] {
  return [
    createPreflightCommand(deps, 'preflight'),
    createPreflightCommand(deps, 'check'),
    createVersionCommand({
      io: deps.io,
      kube: deps.kube,
      toolName: 'kubectl-meshpreflight',
      toolVersion: deps.toolVersion,
      libraryVersion: deps.toolVersion,
    }),
  ];
}
