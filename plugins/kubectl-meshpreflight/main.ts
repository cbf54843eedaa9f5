#!/usr/bin/env node
/**
 * `kubectl meshpreflight`: Check versions, the upgrade path and readiness before upgrading a service-mesh control plane.
 *
 * The composition root and the only file that touches `process`: it reads argv and the
 * environment, wraps the real streams, builds the real collaborators and exits with the code
 * run-cli returns.
 */
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { delimiter, join } from 'node:path';
import { hideBin } from 'yargs/helpers';
import { runCli } from '../../shared/cli/run-cli.js';
import { readToolVersion } from '../../shared/cli/tool-version.js';
import { processStreams } from '../../shared/io/streams.js';
import { createKubeConnector } from '../../shared/kube/client.js';
import { readTextFileIfExists } from '../../shared/kube/kubeconfig.js';
import { createCommands } from './commands/index.js';
import { maxListBytes } from './versions/version-list.js';

// Ctrl-C: 128 + SIGINT, the shell convention (exit-codes.ts Interrupted).
process.on('SIGINT', () => process.exit(130));

function isExecutable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function which(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

async function fetchText(url: string, headers: Record<string, string> = {}): Promise<string> {
  // Bounded in time and size: a chart index is a few MB; a hostile or broken server gets neither forever.
  let response: Response;
  try {
    response = await fetch(url, { headers, signal: AbortSignal.timeout(60_000), redirect: 'follow' });
  } catch (err) {
    // undici says only "fetch failed"; the cause names the real problem (ENOTFOUND, ECONNREFUSED …).
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(cause?.code ?? cause?.message ?? (err as Error).message);
  }
  if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
  const length = Number(response.headers.get('content-length') ?? 0);
  if (length > maxListBytes) throw new Error(`answer larger than ${maxListBytes} bytes`);
  const body = Buffer.from(await response.arrayBuffer());
  if (body.length > maxListBytes) throw new Error(`answer larger than ${maxListBytes} bytes`);
  return body.toString('utf8');
}

async function runProgram(path: string, args: readonly string[]) {
  const { execa } = await import('execa');
  const result = await execa(path, [...args], { reject: false, timeout: 30_000, maxBuffer: 1024 * 1024, stdin: 'ignore', env: { NO_COLOR: '1' } });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? '') };
}

const io = processStreams(process);
const toolVersion = readToolVersion();
const exitCode = await runCli({
  scriptName: 'kubectl meshpreflight',
  description: 'Check versions, the upgrade path and readiness before upgrading a service-mesh control plane.',
  toolVersion,
  args: hideBin(process.argv),
  io,
  commands: (runtime) =>
    createCommands({
      ...runtime,
      kube: createKubeConnector({
        environment: { env: process.env, homeDir: os.homedir(), readFile: readTextFileIfExists },
        logger: runtime.logger,
        toolName: 'kubectl-meshpreflight',
        toolVersion,
      }),
      which,
      isExecutable,
      runProgram,
      readFile: (path) => readFile(path, 'utf8'),
      readFileSync: (path) => readFileSync(path, 'utf8'),
      fetchText,
    }),
});
process.exit(exitCode);
