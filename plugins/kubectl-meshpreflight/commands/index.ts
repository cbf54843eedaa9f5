/**
 * The explicit list of `kubectl meshpreflight` commands (no commandDir: bundlers cannot follow it).
 */
import type { PluginCommand } from '../../../shared/cli/command.js';
import { preflightCommand } from './preflight-command.js';

/** createCommands returns every command of the plugin, in help order (runPlugin adds `version`). */
export function createCommands(): PluginCommand[] {
  return [preflightCommand('preflight'), preflightCommand('check')];
}
