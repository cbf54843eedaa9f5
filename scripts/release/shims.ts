/**
 * The small executables shipped beside the plugins for shell completion. kubectl ≥ 1.26 runs
 * `kubectl_complete-<plugin>` from PATH for `kubectl __complete <plugin> …`; helm runs a
 * plugin's executable `plugin.complete` (committed in plugins/helm-crdsync/). Both only forward to the plugin's own `__complete`
 * (handled by the shared runPlugin), so completion lives in one place.
 */

/** kubectlCompletionShimName is the file kubectl looks for: `kubectl_complete-meshbackup` for `kubectl-meshbackup`. */
export function kubectlCompletionShimName(plugin: string, os: string): string {
  return `kubectl_complete-${plugin.replace(/^kubectl-/, '')}${os === 'windows' ? '.cmd' : ''}`;
}

/**
 * kubectlCompletionShim runs the plugin binary that sits next to the shim's real location
 * (krew and users link the shim into a PATH folder; `readlink -f` follows the link back).
 */
export function kubectlCompletionShim(plugin: string, os: string): string {
  if (os === 'windows') return `@"%~dp0${plugin}.exe" __complete %*\r\n`;
  return [
    '#!/bin/sh',
    `# kubectl >= 1.26 runs this for "kubectl __complete ${plugin.replace(/^kubectl-/, '')} ..."; the plugin answers its own __complete.`,
    'self=$(readlink -f "$0" 2>/dev/null || echo "$0")',
    `exec "$(dirname "$self")/${plugin}" __complete "$@"`,
    '',
  ].join('\n');
}
