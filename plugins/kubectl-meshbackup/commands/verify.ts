/**
 * `verify`: integrity of an archive (every member's sha256, every object parses, counts match) and,
 * with --against-cluster or --crds-from, that every backed-up apiVersion will be served. Exit 0 only
 * if all holds; failed checks exit 1 (a negative result), a bad archive exits 3.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import yaml from 'js-yaml';
import type { ArgumentsCamelCase } from 'yargs';
import { defineCommand, type CommandContext, type CommandOptions } from '../../../shared/cli/command.js';
import { InputFileError, NegativeResultError } from '../../../shared/errors/errors.js';
import type { KubeSession } from '../../../shared/kube/client.js';
import { addKubeFlags, type KubeFlagValues } from '../../../shared/kube/config-flags.js';
import { colorEnabled, painter } from '../../../shared/output/color.js';
import type { CustomResourceDefinition } from '../../../shared/kube/ports.js';
import { patiently } from '../backup/restore.js';
import { checkObjects, checkServed } from '../backup/verify.js';
import { archiveLimits, validateArchiveFlag, withArchive, withArchiveSize } from './with-archive.js';

/** VerifyArgs are the parsed flags. */
export interface VerifyArgs extends KubeFlagValues {
  /** maxArchiveSize in bytes (--max-archive-size). */
  readonly maxArchiveSize?: number;
  readonly filename: string;
  readonly againstCluster: boolean;
  readonly crdsFrom?: string;
}

/** readCrdFiles reads CRDs from a YAML file or every .yaml/.yml file of a directory. */
export async function readCrdFiles(source: string): Promise<CustomResourceDefinition[]> {
  let files: string[];
  try {
    const stat = await fs.stat(source);
    files = stat.isDirectory()
      ? (await fs.readdir(source))
          .filter((name) => /\.ya?ml$/.test(name))
          .sort()
          .map((name) => path.join(source, name))
      : [source];
  } catch (err) {
    throw new InputFileError(source, `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const crds: CustomResourceDefinition[] = [];
  for (const file of files) {
    let documents: unknown[];
    try {
      documents = yaml.loadAll(await fs.readFile(file, 'utf8'));
    } catch (err) {
      throw new InputFileError(file, `YAML does not parse: ${(err as Error).message.split('\n')[0]}`);
    }
    for (const document of documents) {
      const object = document as CustomResourceDefinition | null;
      if (object?.kind === 'CustomResourceDefinition') crds.push(object);
    }
  }
  return crds;
}

/** VerifyOptions follows Options → complete → validate → run. */
export class VerifyOptions implements CommandOptions<ArgumentsCamelCase<VerifyArgs>> {
  private args!: VerifyArgs;
  private session: KubeSession | undefined;

  constructor(private readonly ctx: CommandContext) {}

  async complete(argv: ArgumentsCamelCase<VerifyArgs>): Promise<void> {
    this.args = argv;
    // Only --against-cluster needs a cluster: a verify of the archive alone reads no kubeconfig.
    if (argv.againstCluster) this.session = await this.ctx.kube.connect(argv);
  }

  validate(): void {
    validateArchiveFlag(this.args.filename);
  }

  async run(): Promise<void> {
    const { out } = this.ctx.io;
    const paint = painter(colorEnabled(this.ctx.io));
    await withArchive(
      this.args.filename,
      this.ctx.onExit,
      async (archive) => {
        const integrity = await checkObjects(this.args.filename, archive);
        const problems = [...integrity.problems];
        out.write(
          `integrity: ${Object.keys(archive.manifest.files).length} members match their sha256, ${integrity.objects} objects parse\n`,
        );
        const targets: { label: string; crds: CustomResourceDefinition[] }[] = [];
        if (this.args.crdsFrom) targets.push({ label: this.args.crdsFrom, crds: await readCrdFiles(this.args.crdsFrom) });
        const { session } = this;
        if (session) {
          // The CRD list gets the patience restore gives it: a brief outage is ridden out, and a failure says what it was doing.
          const crds = await patiently(
            { retryTimeoutMs: 120_000, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
            'listing CustomResourceDefinitions',
            () => session.clients.crds.list(),
          );
          targets.push({ label: `cluster ${session.kubeconfig.contextName}`, crds });
        }
        for (const target of targets) {
          const served = checkServed(archive, target.crds);
          out.write(`served by ${target.label}: ${served.length === 0 ? 'every backed-up version' : `${served.length} problem(s)`}\n`);
          problems.push(...served);
        }
        for (const problem of problems) out.write(`${paint.red('FAIL')} ${problem.item}: ${problem.reason}\n`);
        if (problems.length > 0) throw new NegativeResultError(`verify: ${problems.length} check(s) failed`);
        out.write(`${paint.green('OK')}\n`);
      },
      archiveLimits(this.args.maxArchiveSize),
    );
  }
}

/** verifyCommand is the `verify` verb. */
export const verifyCommand = defineCommand({
  name: 'verify',
  describe: 'Check an archive (integrity, and that the target CRDs serve every backed-up version)',
  examples: [
    [
      '$0 verify -f nsm.tar.gz --crds-from nginx-service-mesh-2.0.0/helm-chart/crds',
      'NGINX Service Mesh step 2: before removing the mesh, check the new CRDs serve every backed-up version',
    ],
    ['$0 verify -f nsm.tar.gz --against-cluster', 'Before restoring: the installed CRDs serve every backed-up version'],
  ],
  flags: (base) =>
    addKubeFlags(withArchiveSize(base))
      .option('filename', { alias: 'f', type: 'string', demandOption: true, describe: 'Archive to check.' })
      .option('against-cluster', { type: 'boolean', default: false, describe: "Check against the live cluster's CRDs." })
      .option('crds-from', { type: 'string', describe: "Check against the target version's CRDs (file or directory)." }),
  options: (ctx) => new VerifyOptions(ctx),
});
