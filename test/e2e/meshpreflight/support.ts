/** Shared set-up of the meshpreflight e2e suites: a loopback chart repository, fake CLIs on PATH, JSON reports. */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expectSuccess, type ClientEnv, type CommandResult } from '../../support/cluster.js';
import { helm3Path } from '../../support/tools.js';

/** ChartRepository is a loopback HTTP chart repository serving one index.yaml. */
export interface ChartRepository {
  readonly url: string;
  /** requests counts index downloads. */
  requests: number;
  close(): Promise<void>;
}

/** serveChartIndex serves `entries` (chart → versions, optional kubeVersion) as index.yaml on 127.0.0.1. */
export async function serveChartIndex(entries: Record<string, Array<{ version: string; kubeVersion?: string }>>): Promise<ChartRepository> {
  const lines = ['apiVersion: v1', 'entries:'];
  for (const [chart, versions] of Object.entries(entries)) {
    lines.push(`  ${chart}:`);
    for (const v of versions) {
      lines.push(
        `  - name: ${chart}`,
        `    version: ${v.version}`,
        ...(v.kubeVersion ? [`    kubeVersion: "${v.kubeVersion}"`] : []),
        `    urls: [${chart}-${v.version}.tgz]`,
      );
    }
  }
  const body = `${lines.join('\n')}\n`;
  const repo = { url: '', requests: 0, close: async () => undefined } as ChartRepository;
  const server: Server = createServer((request, response) => {
    if (request.url === '/index.yaml') {
      repo.requests++;
      response.writeHead(200, { 'content-type': 'application/x-yaml' }).end(body);
    } else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(repo, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

/** putScript writes an executable shell script named `name` first on the client's PATH. */
export function putScript(client: ClientEnv, name: string, script: string): string {
  const path = join(client.home, 'bin', name);
  writeFileSync(path, `#!/bin/sh\n${script}\n`);
  chmodSync(path, 0o755);
  return path;
}

/** fakeGlooctl puts a glooctl on PATH that prints `version -o json` as glooctl does. */
export function fakeGlooctl(client: ClientEnv, version: string): string {
  return putScript(client, 'glooctl', `echo '{"client":{"version":"${version}"},"server":[]}'`);
}

/** realHelmOnPath links the real helm 3 into the client's PATH. */
export function realHelmOnPath(client: ClientEnv): void {
  symlinkSync(helm3Path(), join(client.home, 'bin', 'helm'));
}

/** ReportJson is the part of `-o json` the tests read. */
export interface ReportJson {
  kind: string;
  result: string;
  installed: { version?: string; source: string };
  checks: Array<{ id: string; status: string; message: string; hint?: string; details?: string[] }>;
  plan?: { outcome: string; hops: Array<{ from: string; to: string; cli?: string; crds: string }> };
}

/** parseReport parses `-o json` output. */
export function parseReport(result: CommandResult): ReportJson {
  try {
    return JSON.parse(result.stdout) as ReportJson;
  } catch {
    throw new Error(`not JSON (exit ${result.exitCode}):\n${result.stdout}\n--- stderr ---\n${result.stderr}`);
  }
}

/** statusOf returns one check's status from a report. */
export function statusOf(report: ReportJson, id: string): string | undefined {
  return report.checks.find((c) => c.id === id)?.status;
}

/** checkOf returns one check from a report. */
export function checkOf(report: ReportJson, id: string): ReportJson['checks'][number] {
  const check = report.checks.find((c) => c.id === id);
  assert.ok(check, `no check ${id} in ${report.checks.map((c) => c.id).join(', ')}`);
  return check;
}

/** lineOf returns the table line of one check id. */
export function lineOf(stdout: string, id: string): string {
  const line = stdout.split('\n').find((l) => l.includes(`[${id}]`));
  assert.ok(line, `no line for ${id} in:\n${stdout}`);
  return line;
}

/** chartFromLive writes a chart `gloo` 1.17.0 whose templates are the live Deployments with 1.17.0 images. */
export async function chartFromLive(client: ClientEnv, dir: string): Promise<void> {
  mkdirSync(join(dir, 'templates'), { recursive: true });
  writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: gloo\nversion: 1.17.0\n');
  for (const name of ['gloo', 'discovery', 'gateway-proxy']) {
    const live = JSON.parse(
      expectSuccess(await client.kubectl(['-n', 'gloo-system', 'get', 'deployment', name, '-o', 'json']), 'get').stdout,
    ) as {
      metadata: Record<string, unknown> & { annotations?: Record<string, string> };
      spec: { template: { spec: { containers: Array<{ image: string }> } } };
      status?: unknown;
    };
    delete live.status;
    for (const key of ['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'managedFields']) delete live.metadata[key];
    delete live.metadata.annotations?.['deployment.kubernetes.io/revision'];
    for (const container of live.spec.template.spec.containers) container.image = container.image.replace(/:1\.16\.27$/, ':1.17.0');
    writeFileSync(join(dir, 'templates', `${name}.json`), JSON.stringify(live));
  }
}
