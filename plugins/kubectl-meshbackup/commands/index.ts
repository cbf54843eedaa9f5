/**
 * The explicit list of `kubectl meshbackup` commands (no commandDir: bundlers and pkg cannot follow it).
 */
import type { CliCommand, CliRuntime } from '../../../shared/cli/run-cli.js';
import { createVersionCommand } from '../../../shared/cli/version-command.js';
import type { KubeConnector } from '../../../shared/kube/client.js';
import { createDiffCommand } from './diff.js';
import { createInspectCommand } from './inspect.js';
import type { Interrupt } from './interrupt.js';
import { createRestoreCommand } from './restore.js';
import { createSaveCommand } from './save.js';
import { createVerifyCommand } from './verify.js';

/** Deps are the real or fake collaborators main.ts (or a test) hands to the commands. */
export interface Deps extends CliRuntime {
  readonly kube: KubeConnector;
  /** interrupt lets save stop cleanly on Ctrl-C and the archive readers remove what they unpacked; absent in tests that do not need it. */
  readonly interrupt?: Interrupt;
}

/** createCommands returns every command of the plugin, in help order. */
export function createCommands(deps: Deps): CliCommand[] {
  return [
    createSaveCommand({ io: deps.io, kube: deps.kube, toolVersion: deps.toolVersion, interrupt: deps.interrupt }),
    createInspectCommand({ io: deps.io, interrupt: deps.interrupt }),
    createVerifyCommand({ io: deps.io, kube: deps.kube, interrupt: deps.interrupt }),
    createDiffCommand({ io: deps.io, kube: deps.kube, interrupt: deps.interrupt }),
    createRestoreCommand({ io: deps.io, kube: deps.kube, interrupt: deps.interrupt }),
    createVersionCommand({
      io: deps.io,
      kube: deps.kube,
      toolName: 'kubectl-meshbackup',
      toolVersion: deps.toolVersion,
      libraryVersion: deps.toolVersion,
    }),
  ];
}
