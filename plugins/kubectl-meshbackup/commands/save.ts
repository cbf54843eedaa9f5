/**
 * `save`: back up the custom resources of a product's (or the given) API groups into one archive.
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import type { ArgumentsCamelCase } from 'yargs';
import { defineCommand, type CommandContext, type CommandOptions } from '../../../shared/cli/command.js';
import { withProfile, withQuiet } from '../../../shared/cli/flags.js';
import { UsageError } from '../../../shared/errors/errors.js';
import type { KubeSession } from '../../../shared/kube/client.js';
import { addKubeFlags, validateNamespaceFlags, type KubeFlagValues } from '../../../shared/kube/config-flags.js';
import { resolveProfile, type ProductProfile } from '../../../shared/profiles/index.js';
import { objectCount } from '../backup/manifest.js';
import { saveArchive } from '../backup/save.js';

/** SaveArgs are the parsed flags. */
export interface SaveArgs extends KubeFlagValues {
  readonly profile?: string;
  readonly profileFile?: string;
  readonly group?: string[];
  readonly selector?: string;
  readonly filename?: string;
  readonly force: boolean;
  readonly allowEmpty: boolean;
  readonly includeStatus: boolean;
}

/** SaveOptions follows Options → complete → validate → run. */
export class SaveOptions implements CommandOptions<ArgumentsCamelCase<SaveArgs>> {
  private args!: SaveArgs;
  private profile: ProductProfile | undefined;
  private groups: string[] = [];
  private session!: KubeSession;

  constructor(
    private readonly ctx: CommandContext,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async complete(argv: ArgumentsCamelCase<SaveArgs>): Promise<void> {
    this.args = argv;
    this.profile = resolveProfile(argv, (file) => readFileSync(file, 'utf8'));
    const groups = new Set([...(this.profile?.kinds.map((kind) => kind.group) ?? []), ...(argv.group ?? [])]);
    this.groups = [...groups].sort();
    this.session = await this.ctx.kube.connect(argv);
  }

  validate(): void {
    validateNamespaceFlags(this.args);
    if (this.groups.length === 0) throw new UsageError('give --profile, --profile-file or at least one --group');
  }

  async run(): Promise<void> {
    const { session } = this;
    const profileName = this.profile?.name ?? 'groups';
    const stamp = this.now().toISOString().replace(/[:.]/g, '-');
    const target =
      this.args.filename ?? `meshbackup-${profileName}-${session.kubeconfig.contextName.replace(/[^A-Za-z0-9_.-]/g, '_')}-${stamp}.tar.gz`;
    let serverVersion: string | undefined;
    try {
      serverVersion = (await session.clients.discovery.serverVersion()).gitVersion;
    } catch {
      serverVersion = undefined;
    }
    const progress = this.ctx.progress('save', { unit: 'objects' });
    const manifest = await saveArchive(session.clients, {
      groups: this.groups,
      namespaces: this.args.allNamespaces || !this.args.namespace ? undefined : [this.args.namespace],
      labelSelector: this.args.selector,
      target,
      force: this.args.force,
      allowEmpty: this.args.allowEmpty,
      includeStatus: this.args.includeStatus,
      tool: { name: this.ctx.toolName, version: this.ctx.toolVersion },
      source: { context: session.kubeconfig.contextName, server: session.kubeconfig.cluster.server, serverVersion },
      // The restore order travels in the archive, so one made with --profile-file restores in its order.
      product: { profile: this.profile?.name, restoreOrder: this.profile?.restoreOrder, notRestored: notRestored(this.profile) },
      now: this.now,
      onProgress: (message) => progress.log(message),
      onObjects: (count) => progress.tick(count),
      signal: this.ctx.signal,
    }).finally(() => progress.done());
    const total = objectCount(manifest);
    this.ctx.io.out.write(`${path.resolve(target)}: ${total} objects of ${manifest.kinds.length} kinds, ${manifest.crds.length} CRDs\n`);
  }
}

/** notRestored lists the plural.group keys a profile marks restore: false. */
export function notRestored(profile: ProductProfile | undefined): string[] | undefined {
  return profile?.kinds.filter((kind) => !kind.restore).map((kind) => `${kind.plural}.${kind.group}`);
}

/** saveCommand is the `save` verb. */
export const saveCommand = defineCommand({
  name: 'save',
  describe: "Back up a product's custom resources (and their CRDs) into one archive",
  examples: [
    [
      '$0 save --profile nginx-service-mesh -A -f nsm.tar.gz',
      'Before the NGINX Service Mesh manual upgrade: every SMI/NSM resource in every namespace',
    ],
    ['$0 save --profile gloo-mesh -A -f gm-before.tar.gz', 'Before a Gloo Mesh upgrade'],
    ['$0 save --group split.smi-spec.io -n apps -l team=a -f team-a.tar.gz', 'One API group, one namespace, a label selector'],
    ['$0 save --profile-file my-operator.yaml -A -f op.tar.gz', 'A product the suite does not ship, described in a profile file'],
  ],
  flags: (argv) =>
    withQuiet(withProfile(addKubeFlags(argv, { allNamespaces: true })))
      .option('group', { type: 'string', array: true, describe: 'API group to back up (repeatable).' })
      .option('selector', { alias: 'l', type: 'string', describe: 'Selector (label query) to filter on, as in kubectl get -l.' })
      .option('filename', { alias: 'f', type: 'string', describe: 'Archive to write (default from profile, context and time).' })
      .option('force', { type: 'boolean', default: false, describe: 'Overwrite an existing archive.' })
      .option('allow-empty', { type: 'boolean', default: false, describe: 'Save even when nothing is found.' })
      .option('include-status', { type: 'boolean', default: false, describe: 'Keep .status in the archive.' }),
  options: (ctx) => new SaveOptions(ctx),
});
