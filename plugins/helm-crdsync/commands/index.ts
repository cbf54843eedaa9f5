/**
 * The explicit list of `helm crdsync` commands (no commandDir: bundlers cannot follow it).
 */
import type { PluginCommand } from '../../../shared/cli/command.js';
import { syncCommand } from './sync.js';

/** createCommands returns every command of the plugin, in help order (runPlugin adds `version`). */
export function createCommands(): PluginCommand[] {
  return [syncCommand()];
}
