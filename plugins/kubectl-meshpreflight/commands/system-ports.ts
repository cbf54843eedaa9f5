/**
 * The real side effects of the preflight beyond the cluster: finding and running the vendor CLI
 * and helm, reading files, downloading version lists. Built from the command context's env (PATH),
 * never from process.env; tests hand in fakes instead.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { HttpGet } from '../../../shared/charts/sources/http.js';
import { createHelmRunner, type HelmRunner } from '../../../shared/helm/helm-runner.js';
import { maxListBytes } from '../versions/version-list.js';

/** ProgramResult is what running an executable answered. */
export interface ProgramResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** SystemPorts are the non-cluster side effects the commands use. */
export interface SystemPorts {
  /** which finds an executable on PATH, or undefined. */
  which(name: string): string | undefined;
  /** isExecutable says whether a path is an executable regular file. */
  isExecutable(path: string): boolean;
  /** runProgram runs an executable within `timeoutMs`; never throws for a non-zero exit. */
  runProgram(path: string, args: readonly string[], timeoutMs: number): Promise<ProgramResult>;
  readFile(path: string): Promise<string>;
  readFileSync(path: string): string;
  /** fetchText GETs a URL within `timeoutMs` and at most maxListBytes; throws with the network reason. */
  fetchText(url: string, headers: Record<string, string> | undefined, timeoutMs: number): Promise<string>;
  /** httpGet is helm crdsync's capped web reader, for --crds-from charts and the GitHub API. */
  readonly httpGet: HttpGet;
  /** helm returns the helm runner `helm pull` goes through (HELM_BIN, else helm on PATH). */
  helm(): HelmRunner;
}

function isExecutable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** createSystemPorts returns the real ports, finding programs on `env.PATH`; `signal` (Ctrl-C) stops downloads and programs. */
export function createSystemPorts(
  env: Readonly<Record<string, string | undefined>>,
  signal?: AbortSignal,
  userAgent = 'kubectl-meshpreflight',
): SystemPorts {
  return {
    // Loaded on the first download (--crds-from only), not at start-up.
    httpGet: async (url, options) => (await import('../../../shared/charts/sources/http.js')).createHttpGet(userAgent)(url, options),
    helm: () => createHelmRunner({ env }),
    which(name) {
      for (const dir of (env.PATH ?? '').split(delimiter)) {
        if (dir && isExecutable(join(dir, name))) return join(dir, name);
      }
      return undefined;
    },
    isExecutable,
    async runProgram(path, args, timeoutMs) {
      // node:child_process rather than execa: two short version probes sit on the critical path of
      // every preflight, and loading execa cost ~0.1 s there (bench/meshpreflight.ts). Imported
      // statically: the bundles load a built-in on its first use (scripts/release/start-up.ts).
      return new Promise<ProgramResult>((resolve) => {
        const child = execFile(
          path,
          [...args],
          {
            encoding: 'utf8',
            timeout: timeoutMs,
            maxBuffer: 1024 * 1024,
            // Colour off: the CLI must answer plainly.
            env: { ...env, NO_COLOR: '1' } as NodeJS.ProcessEnv,
            windowsHide: true,
            ...(signal ? { signal } : {}),
          },
          (error, stdout, stderr) => {
            if (!error) return resolve({ exitCode: 0, stdout, stderr });
            const failure = error as NodeJS.ErrnoException & { code?: number | string; killed?: boolean };
            const exitCode = typeof failure.code === 'number' ? failure.code : -1;
            const timedOut = failure.killed && !signal?.aborted ? `timed out after ${timeoutMs} ms` : '';
            resolve({ exitCode, stdout: String(stdout ?? ''), stderr: timedOut || String(stderr ?? '') || failure.message });
          },
        );
        // stdin closed at once: the CLI must answer, not prompt.
        child.stdin?.end();
      });
    },
    readFile: (path) => readFile(path, 'utf8'),
    readFileSync: (path) => readFileSync(path, 'utf8'),
    async fetchText(url, headers = {}, timeoutMs) {
      let response: Response;
      try {
        const timeout = AbortSignal.timeout(timeoutMs);
        response = await fetch(url, { headers, signal: signal ? AbortSignal.any([timeout, signal]) : timeout, redirect: 'follow' });
      } catch (err) {
        // undici says only "fetch failed"; the cause names the real problem (ENOTFOUND, ECONNREFUSED …).
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        throw new Error(cause?.code ?? cause?.message ?? (err as Error).message);
      }
      if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
      // Bounded: a chart index is a few MB; a hostile or broken server does not fill memory.
      if (Number(response.headers.get('content-length') ?? 0) > maxListBytes) throw new Error(`answer larger than ${maxListBytes} bytes`);
      const body = Buffer.from(await response.arrayBuffer());
      if (body.length > maxListBytes) throw new Error(`answer larger than ${maxListBytes} bytes`);
      return body.toString('utf8');
    },
  };
}
