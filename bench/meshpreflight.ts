/**
 * meshpreflight benchmark (issue 11): on a sandbox with gloo-edge@1.16.27, every check enabled
 * (a glooctl script and the real helm on PATH, versions from a file so no network is involved),
 * the wall time of `kubectl meshpreflight` against the same facts gathered by hand with kubectl
 * (`kubectl version`, `get deploy`, `get secret -l owner=helm`, four `auth can-i`, `get job`,
 * `get crd`), both through the real kubectl, measured in this run: goal ≤ 0.3×. The plugin's API
 * requests come from the sandbox audit log: no resource may be listed twice.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { execa } from 'execa';
import { startSandbox } from '../sandbox/index.js';
import { pluginEntry } from '../test/support/paths.js';
import { helm3Path } from '../test/support/tools.js';

const repetitions = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

const byHand: readonly string[][] = [
  ['version', '-o', 'json'],
  ['-n', 'gloo-system', 'get', 'deploy', '-o', 'json'],
  ['-n', 'gloo-system', 'get', 'secret', '-l', 'owner=helm', '-o', 'json'],
  ['auth', 'can-i', 'create', 'customresourcedefinitions'],
  ['auth', 'can-i', 'update', 'customresourcedefinitions'],
  ['auth', 'can-i', 'create', 'clusterroles'],
  ['auth', 'can-i', 'create', 'clusterrolebindings'],
  ['-n', 'gloo-system', 'get', 'job', '-o', 'json'],
  ['get', 'crd', '-o', 'json'],
];

/** benchMeshpreflight prints both wall times, their ratio, and the plugin's requests. */
export async function benchMeshpreflight(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'meshpreflight-bench-'));
  const bin = join(home, 'bin');
  mkdirSync(bin);
  symlinkSync(pluginEntry('kubectl-meshpreflight'), join(bin, 'kubectl-meshpreflight'));
  symlinkSync(helm3Path(), join(bin, 'helm'));
  writeFileSync(join(bin, 'glooctl'), '#!/bin/sh\necho \'{"client":{"version":"1.17.0"},"server":[]}\'\n');
  chmodSync(join(bin, 'glooctl'), 0o755);
  writeFileSync(join(home, 'versions.txt'), '1.16.27\n1.16.30\n1.17.0\n');
  const sandbox = await startSandbox({ installs: ['gloo-edge@1.16.27'], k8sVersion: '1.29.14' });
  const env = {
    ...process.env,
    PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
    KUBECONFIG: sandbox.kubeconfigPath,
    HOME: home,
    KUBECACHEDIR: join(home, 'cache'),
  };
  const kubectl = (args: readonly string[]) => execa('kubectl', [...args], { env, extendEnv: false, reject: false });
  const preflight = ['meshpreflight', '--profile', 'gloo-edge', '--to', '1.17.0', '--versions-from', join(home, 'versions.txt')];
  try {
    // One warm-up of each: the kubectl dispatcher caches the server version on its first run.
    await kubectl(['version']);
    const first = await kubectl(preflight);
    if (first.exitCode !== 0) throw new Error(`meshpreflight failed (exit ${first.exitCode}): ${first.stderr}\n${first.stdout}`);
    const pluginSamples: number[] = [];
    const handSamples: number[] = [];
    for (let i = 0; i < repetitions; i++) {
      let t0 = performance.now();
      await kubectl(preflight);
      pluginSamples.push(performance.now() - t0);
      t0 = performance.now();
      for (const args of byHand) {
        const result = await kubectl(args);
        if (result.exitCode !== 0 && args[0] !== 'auth') throw new Error(`kubectl ${args.join(' ')}: ${result.stderr}`);
      }
      handSamples.push(performance.now() - t0);
    }
    sandbox.audit.clear();
    await execa(process.execPath, [pluginEntry('kubectl-meshpreflight'), ...preflight.slice(1)], { env, extendEnv: false, reject: false });
    const requests = sandbox.audit.entries();
    const lists = requests.filter((entry) => entry.verb === 'list').map((entry) => entry.path);
    const listedTwice = lists.filter((path, index) => lists.indexOf(path) !== index);
    const pluginMs = median(pluginSamples);
    const handMs = median(handSamples);
    console.log(`meshpreflight on gloo-edge@1.16.27, every check enabled (median of ${repetitions})`);
    console.log(`  kubectl meshpreflight            ${pluginMs.toFixed(0).padStart(7)} ms`);
    console.log(`  by hand (${byHand.length} kubectl commands)     ${handMs.toFixed(0).padStart(7)} ms`);
    console.log(`  ratio                            ${(pluginMs / handMs).toFixed(2).padStart(7)}x   (goal <= 0.30x)`);
    console.log(
      `  API requests                     ${String(requests.length).padStart(7)}     (${requests.map((e) => `${e.verb} ${e.path}`).join(', ')})`,
    );
    console.log(`  resources listed twice           ${String(listedTwice.length).padStart(7)}     ${listedTwice.join(', ')}`);
    if (listedTwice.length > 0) process.exitCode = 1;
  } finally {
    await sandbox.close();
    rmSync(home, { recursive: true, force: true });
  }
}
