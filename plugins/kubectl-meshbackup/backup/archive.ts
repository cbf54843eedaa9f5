/**
 * The archive: a gzip'd tar holding manifest.json, crds/<name>.yaml and resources/<plural.group>.yaml.
 * Writing stages each member on disk as it streams (hashing as it goes), so memory does not grow
 * with the number of objects; the tar is written to a temporary name beside the target and renamed
 * only when complete, mode 0600. Reading refuses absolute and `..` members, checks every sha256 and
 * parses YAML with js-yaml's default (safe) schema behind an alias-expansion guard.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import type * as Tar from 'tar';
import { InputFileError, InterruptedError, PreconditionError, CliError } from '../../../shared/errors/errors.js';
import { ExitCode } from '../../../shared/errors/exit-codes.js';
import type { KubeObject } from '../../../shared/kube/ports.js';
import { expandedSize, maxExpandedNodes, unsafeMemberPath } from '../../../shared/charts/safe-input.js';
import { manifestProblem, type Manifest } from './manifest.js';

/** loadTar imports tar when an archive is read or written: `--help` and usage errors need not load it. */
const loadTar = (): Promise<typeof Tar> => import('tar');

/** manifestName is the manifest's member path. */
export const manifestName = 'manifest.json';

/** MemberWriter streams YAML documents into one member. */
export class MemberWriter {
  private readonly hash = createHash('sha256');
  count = 0;

  constructor(
    readonly name: string,
    private readonly stream: WriteStream,
  ) {}

  /** write appends one object as a YAML document, waiting for drain. */
  async write(object: KubeObject): Promise<void> {
    const text = `---\n${yaml.dump(object, { noRefs: true, lineWidth: -1 })}`;
    this.hash.update(text);
    this.count++;
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }

  /** close ends the member and returns its sha256. */
  async close(): Promise<string> {
    this.stream.end();
    await once(this.stream, 'finish');
    return this.hash.digest('hex');
  }
}

/** ArchiveWriter stages members in a private temporary directory, then packs them. */
export class ArchiveWriter {
  private readonly files: Record<string, string> = {};

  private constructor(private readonly staging: string) {}

  /** create makes the staging directory. */
  static async create(): Promise<ArchiveWriter> {
    return new ArchiveWriter(await fs.mkdtemp(path.join(os.tmpdir(), 'meshbackup-')));
  }

  /** member opens a member for streaming; close it with {@link ArchiveWriter.closeMember}. */
  async member(name: string): Promise<MemberWriter> {
    const full = path.join(this.staging, name);
    await fs.mkdir(path.dirname(full), { recursive: true });
    return new MemberWriter(name, createWriteStream(full, { mode: 0o600 }));
  }

  /** closeMember finishes a member and records its hash. */
  async closeMember(member: MemberWriter): Promise<void> {
    this.files[member.name] = await member.close();
  }

  /** fileHashes is the sha256 of every closed member. */
  fileHashes(): Record<string, string> {
    return { ...this.files };
  }

  /**
   * finish writes manifest.json, packs everything into `target` through a temporary name, and
   * renames it into place. Without `force` an existing target is refused. An aborted `signal`
   * (Ctrl-C while packing) removes the temporary file instead of renaming it.
   */
  async finish(manifest: Manifest, target: string, force: boolean, signal?: AbortSignal): Promise<void> {
    try {
      await fs.writeFile(path.join(this.staging, manifestName), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
      if (!force && (await exists(target))) {
        throw new PreconditionError(`${target} already exists; use --force to overwrite it`);
      }
      const temp = path.join(path.dirname(target), `.${path.basename(target)}.partial-${process.pid}`);
      try {
        const members = [manifestName, ...Object.keys(this.files).sort()];
        await (await loadTar()).c({ gzip: true, file: temp, cwd: this.staging, portable: true, mode: 0o600 } as Tar.TarOptionsWithAliasesAsyncFile, members);
        await fs.chmod(temp, 0o600);
        if (signal?.aborted) throw new InterruptedError('interrupted: nothing was written');
        await fs.rename(temp, target);
      } catch (err) {
        await fs.rm(temp, { force: true });
        if (err instanceof CliError) throw err;
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EACCES' || code === 'ENOENT' || code === 'EROFS' || code === 'ENOTDIR' || code === 'EPERM') {
          throw new CliError(`cannot write ${target}: ${code}`, ExitCode.Precondition);
        }
        throw err;
      }
    } finally {
      await this.discard();
    }
  }

  /** discard removes the staging directory. */
  async discard(): Promise<void> {
    await fs.rm(this.staging, { recursive: true, force: true });
  }
}

/**
 * checkTarget refuses, before any work, an existing target without `force` and a target whose
 * directory cannot be written (the same refusals finish() makes, found before listing anything).
 */
export async function checkTarget(target: string, force: boolean): Promise<void> {
  if (!force && (await exists(target))) throw new PreconditionError(`${target} already exists; use --force to overwrite it`);
  try {
    const dir = path.dirname(target);
    if (!(await fs.stat(dir)).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    await fs.access(dir, fs.constants.W_OK);
  } catch (err) {
    throw new CliError(`cannot write ${target}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, ExitCode.Precondition);
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

// Moved to shared/charts/safe-input.ts (crdsync reads charts with the same guards); re-exported for callers.
export { unsafeMemberPath } from '../../../shared/charts/safe-input.js';

/** OpenedArchive is an archive extracted into a private directory, integrity checked. */
export interface OpenedArchive {
  readonly manifest: Manifest;
  readonly dir: string;
  /** close removes the extracted files. */
  close(): Promise<void>;
}

/**
 * openArchive checks member paths, extracts into a private directory, reads the manifest and
 * checks every member's sha256. Any problem is an InputFileError (exit 3) naming `file`.
 * `onExtracting` learns the private directory as soon as it exists, so an immediate exit on
 * Ctrl-C can remove it even mid-extraction.
 */
export async function openArchive(file: string, options: { onExtracting?: (dir: string) => void } = {}): Promise<OpenedArchive> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch (err) {
    throw new InputFileError(file, `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  if (!stat.isFile()) throw new InputFileError(file, 'not a file');
  const head = Buffer.alloc(2);
  const handle = await fs.open(file, 'r');
  try {
    await handle.read(head, 0, 2, 0);
  } finally {
    await handle.close();
  }
  if (head[0] !== 0x1f || head[1] !== 0x8b) throw new InputFileError(file, 'not a meshbackup archive (not gzip)');

  const names: string[] = [];
  try {
    await (await loadTar()).t({ file, strict: true, onReadEntry: (entry) => names.push(entry.path) } as Tar.TarOptionsWithAliasesAsyncFile);
  } catch (err) {
    throw new InputFileError(file, `truncated or corrupt archive: ${(err as Error).message}`);
  }
  for (const name of names) {
    const problem = unsafeMemberPath(name);
    if (problem) throw new InputFileError(file, problem);
  }
  if (!names.includes(manifestName)) throw new InputFileError(file, 'not a meshbackup archive (no manifest.json)');

  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'meshbackup-read-'));
  options.onExtracting?.(dir);
  const close = (): Promise<void> => fs.rm(dir, { recursive: true, force: true });
  try {
    try {
      await (await loadTar()).x({ file, cwd: dir, strict: true, preservePaths: false } as Tar.TarOptionsWithAliasesAsyncFile);
    } catch (err) {
      throw new InputFileError(file, `truncated or corrupt archive: ${(err as Error).message}`);
    }
    let manifest: unknown;
    try {
      manifest = JSON.parse(await fs.readFile(path.join(dir, manifestName), 'utf8'));
    } catch (err) {
      throw new InputFileError(file, `manifest.json does not parse: ${(err as Error).message}`);
    }
    const problem = manifestProblem(manifest);
    if (problem) throw new InputFileError(file, problem);
    const checked = manifest as Manifest;
    for (const [member, expected] of Object.entries(checked.files).sort()) {
      const pathProblem = unsafeMemberPath(member);
      if (pathProblem) throw new InputFileError(file, pathProblem);
      let actual: string;
      try {
        actual = createHash('sha256').update(await fs.readFile(path.join(dir, member))).digest('hex');
      } catch {
        throw new InputFileError(file, `member ${member} listed in the manifest is missing`);
      }
      if (actual !== expected) throw new InputFileError(file, `member ${member} does not match its sha256 (tampered or corrupt)`);
    }
    return { manifest: checked, dir, close };
  } catch (err) {
    await close();
    throw err;
  }
}

export { maxExpandedNodes, expandedSize } from '../../../shared/charts/safe-input.js';

/** documentsPerSlice is how many documents parseMember parses before letting other work run. */
const documentsPerSlice = 200;

/**
 * splitDocuments cuts a multi-document YAML stream at its `---` lines, or returns undefined when
 * the stream uses anything that makes such a cut unsafe (directives, `...` end markers, content
 * on a `---` line). A `---` line at column 0 cannot be inside a document: block scalars of a
 * top-level mapping are indented.
 */
export function splitDocuments(text: string): string[] | undefined {
  if (/^(%|\.\.\.\s*$|---[ \t]*[^\s#])/m.test(text)) return undefined;
  return text.split(/^---[ \t]*(?:#.*)?$/m).filter((chunk) => /^[ \t]*[^\s#]/m.test(chunk));
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * parseMember reads one YAML member into objects. Each document must be an object with apiVersion,
 * kind and metadata.name; a file whose aliases expand past {@link maxExpandedNodes} is refused.
 * Documents are parsed a slice at a time, yielding in between, so that a restore's requests keep
 * flowing while the next kind is parsed.
 */
export async function parseMember(archiveFile: string, dir: string, member: string): Promise<KubeObject[]> {
  const text = await fs.readFile(path.join(dir, member), 'utf8');
  const refuse = (err: unknown): never => {
    throw new InputFileError(archiveFile, `${member}: YAML does not parse: ${(err as Error).message.split('\n')[0]}`);
  };
  const chunks = splitDocuments(text);
  let documents: unknown[] = [];
  if (chunks === undefined) {
    try {
      documents = yaml.loadAll(text, undefined, { schema: yaml.DEFAULT_SCHEMA });
    } catch (err) {
      refuse(err);
    }
  } else {
    for (let i = 0; i < chunks.length; i++) {
      if (i > 0 && i % documentsPerSlice === 0) await nextTurn();
      try {
        documents.push(yaml.load(chunks[i] as string, { schema: yaml.DEFAULT_SCHEMA }));
      } catch (err) {
        // Report the error as the whole stream reads it (line numbers of the file, not the slice).
        try {
          yaml.loadAll(text, undefined, { schema: yaml.DEFAULT_SCHEMA });
        } catch (whole) {
          refuse(whole);
        }
        refuse(err);
      }
    }
  }
  const objects: KubeObject[] = [];
  let budget = maxExpandedNodes;
  for (const [index, document] of documents.entries()) {
    if (document === null || document === undefined) continue;
    budget -= expandedSize(document, budget);
    if (budget < 0) throw new InputFileError(archiveFile, `${member}: YAML aliases expand past ${maxExpandedNodes} nodes (alias bomb?)`);
    const object = document as KubeObject;
    if (typeof object !== 'object' || !object.apiVersion || !object.kind || !object.metadata?.name) {
      throw new InputFileError(archiveFile, `${member}: document ${index + 1} is not a Kubernetes object`);
    }
    objects.push(object);
  }
  return objects;
}
