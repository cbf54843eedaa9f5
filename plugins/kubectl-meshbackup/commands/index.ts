/**
 * The explicit list of `kubectl meshbackup` commands (no commandDir: bundlers cannot follow it).
 */
import type { PluginCommand } from '../../../shared/cli/command.js';
import { diffCommand } from './diff.js';
import { inspectCommand } from './inspect.js';
import { restoreCommand } from './restore.js';
import { saveCommand } from './save.js';
import { verifyCommand } from './verify.js';

/** createCommands returns every command of the plugin, in help order (runPlugin adds `version`). */
export function createCommands(): PluginCommand[] {
  return [saveCommand, inspectCommand, verifyCommand, diffCommand, restoreCommand];
}
