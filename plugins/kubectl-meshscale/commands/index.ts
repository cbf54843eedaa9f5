/**
 * The explicit list of `kubectl meshscale` commands (no commandDir: bundlers cannot follow it).
 */
import type { PluginCommand } from '../../../shared/cli/command.js';
import { rerollCommand } from './reroll-command.js';
import { scaleCommand } from './scale-command.js';

/** createCommands returns every command of the plugin, in help order (runPlugin adds `version`). */
export function createCommands(): PluginCommand[] {
  return [scaleCommand('down'), scaleCommand('up'), scaleCommand('status'), rerollCommand];
}
