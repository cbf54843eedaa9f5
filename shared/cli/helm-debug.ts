/**
 * helm passes its --debug to a plugin as HELM_DEBUG. One function says how it is read, because two
 * places must agree: runPluginWith (the --debug default, shown in help) and the help fast path
 * the bundles put before the program (scripts/release/help-texts.ts inlines this function's
 * source), which picks the help text rendered with or without it.
 */

/** helmDebugFromEnv is true when helm ran the plugin with --debug. */
export function helmDebugFromEnv(env: Readonly<Record<string, string | undefined>>): boolean {
  return env.HELM_DEBUG === 'true' || env.HELM_DEBUG === '1';
}
