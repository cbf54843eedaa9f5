/**
 * Reading the vendor CLI's own version from what its `version` command prints. The shapes:
 *  - glooctl `version -o json`: `{"client":{"version":"1.17.0"},"server":[…]}`; older glooctl and
 *    the default output print `Client: {"version":"1.8.0"}` then a `Server:` line, and with no
 *    cluster the server part is an error on stderr while the client line is still printed;
 *  - meshctl `version`: JSON only, `{"client":{"version":"0.11.3"},"server":[…]}`;
 *  - nginx-meshctl `version`: text, `nginx-meshctl - v1.7.0` then one line per mesh component.
 * The server half is ignored: the installed version comes from the cluster itself.
 */
import type { VendorCli } from '../../../shared/profiles/index.js';
import { parseVersion, type VendorVersion } from '../../../shared/version/semver.js';

function atPath(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function firstJsonObject(text: string): unknown {
  const trimmed = text.trim();
  try {
    return JSON.parse(trimmed);
  } catch {
    // `Client: {"version":"1.8.0"}` — the JSON after a label on its own line.
    for (const line of trimmed.split(/\r?\n/)) {
      const match = /^\s*client\s*:\s*(\{.*\})\s*$/i.exec(line);
      if (match?.[1]) {
        try {
          return { client: JSON.parse(match[1]) };
        } catch {
          return undefined;
        }
      }
    }
    return undefined;
  }
}

/**
 * parseCliVersion reads the client version out of `stdout`; undefined when the output has no
 * version where the profile says it is (garbage, or a CLI of another product).
 */
export function parseCliVersion(cli: VendorCli, stdout: string): VendorVersion | undefined {
  if (cli.versionFormat === 'json') {
    const found = atPath(firstJsonObject(stdout), cli.versionPath ?? 'client.version');
    return typeof found === 'string' ? parseVersion(found) : undefined;
  }
  // Text: the line that names the CLI ("nginx-meshctl - v1.7.0"), else the first line with a version.
  const lines = stdout.split(/\r?\n/).filter((line) => line.trim() !== '');
  const named = lines.find((line) => line.trim().toLowerCase().startsWith(cli.name.toLowerCase()));
  for (const line of named ? [named] : lines) {
    const token = /\bv?\d+\.\d+(?:\.\d+)?(?:-[0-9A-Za-z.-]+)?\b/.exec(line)?.[0];
    const version = token ? parseVersion(token) : undefined;
    if (version) return version;
  }
  return undefined;
}
