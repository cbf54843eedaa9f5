/**
 * `save`: back up the custom resources of a product's (or the given) API groups into one archive.
 */
import path from 'node:path';
import type { Argv } from 'yargs';
import type { CliCommand, GlobalFlags } from '../../../shared/cli/run-cli.js';
import { UsageError } from '../../../shared/errors/errors.js';
import type { IOStreams } from '../../../shared/io/streams.js';
import type { KubeConnector } from '../../../shared/kube/client.js';
import { addKubeFlags, validateNamespaceFlags, type KubeFlagValues } from '../../../shared/kube/config-flags.js';
import { builtinProfiles, profileFor } from '../../../shared/profiles/index.js';
import { saveArchive } from '../backup/save.js';
import type { Interrupt } from './interrupt.js';
import { objectCount } from '../backup/manifest.js';

/** SaveDeps are the collaborators of `save`. */
export interface SaveDeps {
  readonly io: IOStreams;
  readonly kube: KubeConnector;
  readonly toolVersion: string;
  readonly now?: () => Date;
  /** interrupt makes the first Ctrl-C stop the save cleanly (exit 130, nothing at the target). */
  readonly interrupt?: Interrupt;
}

/** SaveArgs are the parsed flags. */
export interface SaveArgs extends GlobalFlags, KubeFlagValues {
  readonly profile?: string;
  readonly group?: string[];
  readonly selector?: string;
  readonly filename?: string;
  readonly force: boolean;
  readonly allowEmpty: boolean;
  readonly includeStatus: boolean;
}

/** SaveOptions follows Options → complete → validate → run. */
export class SaveOptions {
  private args!: SaveArgs;
  private groups: string[] = [];

  constructor(private readonly deps: SaveDeps) {}

  complete(argv: SaveArgs): void {
    this.args = argv;
    if (argv.profile) {
      const profile = profileFor(argv.profile, builtinProfiles);
      this.groups = [...new Set(profile.kinds.map((kind) => kind.group))].sort();
    }
    this.groups.push(...(argv.group ?? []));
  }

  validate(): void {
    validateNamespaceFlags(this.args);
    if (this.groups.length === 0) throw new UsageError('give --profile or at least one --group');
  }

  async run(): Promise<void> {
    const session = await this.deps.kube.connect(this.args);
    const now = this.deps.now ?? (() => new Date());
    const profileName = this.args.profile ?? 'groups';
    const stamp = now().toISOString().replace(/[:.]/g, '-');
    const target =
      this.args.filename ?? `meshbackup-${profileName}-${session.kubeconfig.contextName.replace(/[^A-Za-z0-9_.-]/g, '_')}-${stamp}.tar.gz`;
    let serverVersion: string | undefined;
    try {
      serverVersion = (await session.clients.discovery.serverVersion()).gitVersion;
    } catch {
      serverVersion = undefined;
    }
    const save = (signal?: AbortSignal) => saveArchive(session.clients, {
      groups: this.groups,
      namespaces: this.args.allNamespaces || !this.args.namespace ? undefined : [this.args.namespace],
      labelSelector: this.args.selector,
      target,
      force: this.args.force,
      allowEmpty: this.args.allowEmpty,
      includeStatus: this.args.includeStatus,
      tool: { name: 'kubectl-meshbackup', version: this.deps.toolVersion },
      source: { context: session.kubeconfig.contextName, server: session.kubeconfig.cluster.server, serverVersion },
      product: { profile: this.args.profile },
      now,
      onProgress: (message) => this.deps.io.err.write(`${message}\n`),
      signal,
    });
    const manifest = this.deps.interrupt ? await this.deps.interrupt.gracefully(save) : await save();
    const total = objectCount(manifest);
    this.deps.io.out.write(`${path.resolve(target)}: ${total} objects of ${manifest.kinds.length} kinds, ${manifest.crds.length} CRDs\n`);
  }
}

/** createSaveCommand returns the `save` command module. */
export function createSaveCommand(deps: SaveDeps): CliCommand {
  return {
    command: 'save',
    describe: "Back up a product's custom resources (and their CRDs) into one archive",
    builder: (argv: Argv<GlobalFlags>) =>
      addKubeFlags(argv, { allNamespaces: true })
        .option('profile', { type: 'string', describe: 'Product profile whose API groups to back up.' })
        .option('group', { type: 'string', array: true, describe: 'API group to back up (repeatable).' })
        .option('selector', { alias: 'l', type: 'string', describe: 'Label selector.' })
        .option('filename', { alias: 'f', type: 'string', describe: 'Archive to write (default from profile, context and time).' })
        .option('force', { type: 'boolean', default: false, describe: 'Overwrite an existing archive.' })
        .option('allow-empty', { type: 'boolean', default: false, describe: 'Save even when nothing is found.' })
        .option('include-status', { type: 'boolean', default: false, describe: 'Keep .status in the archive.' }),
    handler: async (argv) => {
      const options = new SaveOptions(deps);
      options.complete(argv as unknown as SaveArgs);
      options.validate();
      await options.run();
    },
  };
}
