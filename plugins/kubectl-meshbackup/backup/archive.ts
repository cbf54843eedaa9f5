/**
 * The archive: a gzip'd tar holding manifest.json, crds/<name>.yaml and resources/<plural.group>.yaml.
 * Writing stages each member on disk as it streams (hashing as it goes), so memory does not grow
 * with the number of objects; the tar is written to a temporary name beside the target and renamed
 * only when complete, mode 0600. Reading refuses absolute and `..` members, checks every sha256 and
 * parses YAML with js-yaml's default (safe) schema behind an alias-expansion guard.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, type Stats, type WriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
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

  /**
   * create makes the staging directory, `meshbackup-save-<pid>-…` in `tempDir` (os.tmpdir()),
   * after removing the ones killed runs left there (removeStaleTemporaries).
   */
  static async create(tempDir: string = os.tmpdir()): Promise<ArchiveWriter> {
    await removeStaleTemporaries(tempDir);
    return new ArchiveWriter(await fs.mkdtemp(path.join(tempDir, `${saveTempPrefix}${process.pid}-`)));
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
      await refuseTarget(target, force);
      const temp = partialName(target, process.pid);
      try {
        const members = [manifestName, ...Object.keys(this.files).sort()];
        await (
          await loadTar()
        ).c({ gzip: true, file: temp, cwd: this.staging, portable: true, mode: 0o600 } as Tar.TarOptionsWithAliasesAsyncFile, members);
        await fs.chmod(temp, 0o600);
        if (signal?.aborted) throw new InterruptedError('interrupted: nothing was written');
        await fs.rename(temp, target);
      } catch (err) {
        await fs.rm(temp, { force: true });
        if (err instanceof CliError) throw err;
        const code = (err as NodeJS.ErrnoException).code;
        if (
          code === 'EACCES' ||
          code === 'ENOENT' ||
          code === 'EROFS' ||
          code === 'ENOTDIR' ||
          code === 'EPERM' ||
          code === 'EISDIR' ||
          code === 'ENOSPC' ||
          code === 'EEXIST' ||
          code === 'ENOTEMPTY'
        ) {
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

/** partialName is the temporary file save packs into, beside the target: `.NAME.partial-PID`. */
export function partialName(target: string, pid: number): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.partial-${pid}`);
}

/**
 * refuseTarget refuses an existing target without `force`, and, even with it, a target that is
 * not a regular file: --force replaces an archive, never a directory, a device or a FIFO.
 */
async function refuseTarget(target: string, force: boolean): Promise<void> {
  let stat;
  try {
    stat = await fs.stat(target);
  } catch {
    return;
  }
  if (!stat.isFile()) {
    const what = stat.isDirectory()
      ? 'a directory'
      : stat.isCharacterDevice() || stat.isBlockDevice()
        ? 'a device'
        : stat.isFIFO()
          ? 'a FIFO'
          : stat.isSocket()
            ? 'a socket'
            : 'not a regular file';
    throw new PreconditionError(`${target} is ${what}: save writes an archive file and replaces only a regular file, even with --force`);
  }
  if (!force) throw new PreconditionError(`${target} already exists; use --force to overwrite it`);
}

/**
 * checkTarget refuses, before any work, an existing target without `force`, a target that is not a
 * regular file, and a target whose directory cannot be written (the refusals finish() makes, found
 * before listing anything). It also removes the `.NAME.partial-PID` files of killed saves to the
 * same target.
 */
export async function checkTarget(target: string, force: boolean): Promise<void> {
  await refuseTarget(target, force);
  const dir = path.dirname(target);
  try {
    if (!(await fs.stat(dir)).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    await fs.access(dir, fs.constants.W_OK);
  } catch (err) {
    throw new CliError(`cannot write ${target}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, ExitCode.Precondition);
  }
  await removeStalePartials(target);
}

/** removeStalePartials removes `.NAME.partial-PID` files beside `target` whose process is gone. */
export async function removeStalePartials(target: string, alive: (pid: number) => boolean = processAlive): Promise<string[]> {
  const prefix = `.${path.basename(target)}.partial-`;
  const removed: string[] = [];
  let names: string[];
  try {
    names = await fs.readdir(path.dirname(target));
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    if (!Number.isInteger(pid) || pid <= 0 || alive(pid)) continue;
    await fs.rm(path.join(path.dirname(target), name), { force: true }).catch(() => undefined);
    removed.push(name);
  }
  return removed;
}

// Shared with crdsync, which reads charts with the same guards (shared/charts/safe-input.ts).
export { unsafeMemberPath } from '../../../shared/charts/safe-input.js';

/** layoutName is the closed layout: manifest.json, crds/<name>.yaml, resources/<plural.group>.yaml. */
const layoutName = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/** layoutProblem says why a member name is outside the archive layout, or undefined when it fits. */
export function layoutProblem(name: string): string | undefined {
  const unsafe = unsafeMemberPath(name);
  if (unsafe) return unsafe;
  if (name === manifestName) return undefined;
  const match = /^(crds|resources)\/(.+)\.yaml$/.exec(name);
  if (!match || !layoutName.test(match[2] as string)) {
    return `member "${name}" is not part of the archive layout (manifest.json, crds/<name>.yaml, resources/<plural>.<group>.yaml)`;
  }
  return undefined;
}

/**
 * ArchiveLimits bound what reading an archive may cost, so a hostile archive (a gzip bomb, a
 * million members, an alias bomb) is refused before it fills the disk or the memory. The
 * defaults hold several times the benchmark's 6 kinds × 10,000 objects (~25 MiB expanded); raise
 * them for a bigger archive.
 */
export interface ArchiveLimits {
  /** maxExpandedBytes caps the archive's size once decompressed (the tar stream). */
  readonly maxExpandedBytes: number;
  /** maxMemberBytes caps one member's size. */
  readonly maxMemberBytes: number;
  /** maxMembers caps the number of members. */
  readonly maxMembers: number;
  /**
   * maxExpandedNodes caps how many nodes a member's YAML may expand to through aliases, on top of
   * its size in bytes (without aliases a document cannot hold more nodes than bytes).
   */
  readonly maxExpandedNodes: number;
}

/**
 * defaultArchiveLimits: 128 MiB expanded and per member, 10,000 members, 1,000,000 alias-expanded
 * nodes. Restore holds every parsed object before its first write, and parsed YAML takes about
 * eight times its size in memory: 128 MiB (about 300,000 objects) stays within node's default heap.
 */
export const defaultArchiveLimits: ArchiveLimits = {
  maxExpandedBytes: 128 * 1024 * 1024,
  maxMemberBytes: 128 * 1024 * 1024,
  maxMembers: 10_000,
  maxExpandedNodes: 1_000_000,
};

function mebibytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`;
}

const entryTypeNames: Record<string, string> = {
  Link: 'a hard link',
  SymbolicLink: 'a symbolic link',
  Directory: 'a directory',
  CharacterDevice: 'a character device',
  BlockDevice: 'a block device',
  FIFO: 'a FIFO',
};

/**
 * tarProblem words a gzip or tar failure for the user; node-tar's own messages ("invalid base256
 * encoding", TAR_ENTRY_INVALID) describe its parser, not the file.
 */
function tarProblem(err: unknown): string {
  const { code, message } = err as { code?: string; message?: string };
  if (
    code === 'Z_DATA_ERROR' ||
    code === 'Z_BUF_ERROR' ||
    code === 'ZlibError' ||
    /zlib|incorrect header|invalid (block|stored|distance|code)/i.test(message ?? '')
  ) {
    return 'not a meshbackup archive: the gzip data is corrupt';
  }
  if (/unexpected end of file|truncated/i.test(message ?? '')) return 'the archive is truncated (an interrupted copy or download?)';
  return 'not a meshbackup archive: the gzip does not hold a valid tar stream';
}

interface ScannedMember {
  readonly name: string;
  readonly size: number;
}

/**
 * scanMembers reads the archive once without writing anything: it decompresses (counting the
 * bytes, stopping at the cap), checks each member header against the layout and the limits, and
 * returns the members. The first problem ends the scan at once.
 */
async function scanMembers(file: string, limits: ArchiveLimits): Promise<ScannedMember[]> {
  const tar = await loadTar();
  const members: ScannedMember[] = [];
  const seen = new Set<string>();
  return new Promise<ScannedMember[]>((resolve, reject) => {
    let failed = false;
    let expanded = 0;
    let total = 0;
    const source = createReadStream(file);
    const gunzip = createGunzip();
    const parser = new tar.Parser({ strict: true });
    const fail = (problem: string): void => {
      if (failed) return;
      failed = true;
      source.destroy();
      gunzip.destroy();
      parser.abort(new Error(problem));
      reject(new InputFileError(file, problem));
    };
    parser.on('entry', (entry: Tar.ReadEntry) => {
      entry.resume();
      if (failed) return;
      const name = entry.path;
      const type = entry.type as string;
      // tar's own directory entries for the layout's two folders (an archive re-packed by hand).
      if (type === 'Directory' && (name === 'crds/' || name === 'resources/')) return;
      if (type !== 'File' && type !== 'OldFile') {
        fail(`member "${name}" is ${entryTypeNames[type] ?? `a ${type} entry`}: a meshbackup archive holds only regular files`);
        return;
      }
      const problem = layoutProblem(name);
      if (problem) return fail(problem);
      if (seen.has(name)) return fail(`member "${name}" appears twice`);
      seen.add(name);
      if (seen.size > limits.maxMembers)
        return fail(`the archive has more than ${limits.maxMembers} members (the limit; raise it to read this archive)`);
      const size = entry.size ?? 0;
      if (size > limits.maxMemberBytes)
        return fail(
          `member "${name}" is ${mebibytes(size)}, over the ${mebibytes(limits.maxMemberBytes)} limit for one member (raise it to read this archive)`,
        );
      total += size;
      if (total > limits.maxExpandedBytes)
        return fail(`the archive expands past ${mebibytes(limits.maxExpandedBytes)} (the limit; raise it to read this archive)`);
      members.push({ name, size });
    });
    parser.on('error', (err: unknown) => fail(tarProblem(err)));
    parser.on('end', () => {
      if (!failed) resolve(members);
    });
    source.on('error', (err: NodeJS.ErrnoException) => fail(`cannot read: ${readProblem(err)}`));
    gunzip.on('error', (err) => fail(tarProblem(err)));
    gunzip.on('data', (chunk: Buffer) => {
      if (failed) return;
      // Headers and padding count too: a stream of empty blocks is still work.
      expanded += chunk.length;
      if (expanded > limits.maxExpandedBytes + 1024 * 1024)
        return fail(`the archive expands past ${mebibytes(limits.maxExpandedBytes)} (the limit; raise it to read this archive)`);
      if (!parser.write(chunk)) {
        gunzip.pause();
        parser.once('drain', () => gunzip.resume());
      }
    });
    gunzip.on('end', () => {
      if (!failed) parser.end();
    });
    source.pipe(gunzip);
  });
}

/** readProblem words a file-system error on the archive itself. */
function readProblem(err: NodeJS.ErrnoException): string {
  if (err.code === 'EACCES' || err.code === 'EPERM') return 'permission denied';
  if (err.code === 'ENOENT') return 'no such file';
  if (err.code === 'EISDIR') return 'it is a directory';
  return err.code ?? err.message;
}

/** OpenedArchive is an archive extracted into a private directory, integrity checked. */
export interface OpenedArchive {
  readonly manifest: Manifest;
  readonly dir: string;
  /** limits are the ones it was opened with; parseMember honours them too. */
  readonly limits?: ArchiveLimits;
  /** close removes the extracted files. */
  close(): Promise<void>;
}

/** OpenArchiveOptions tune {@link openArchive}. */
export interface OpenArchiveOptions {
  /** onExtracting learns the private directory as soon as it exists (removal on an immediate exit). */
  readonly onExtracting?: (dir: string) => void;
  /** limits override {@link defaultArchiveLimits}. */
  readonly limits?: Partial<ArchiveLimits>;
  /** tempDir is where the private directory goes (os.tmpdir()). */
  readonly tempDir?: string;
}

/** readTempPrefix names the directories readers extract into: `meshbackup-read-<pid>-…`. */
export const readTempPrefix = 'meshbackup-read-';
/** saveTempPrefix names the directories save stages members in: `meshbackup-save-<pid>-…`. */
export const saveTempPrefix = 'meshbackup-save-';

/** processAlive says whether a process id is running (EPERM: it is, under another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * removeStaleTemporaries removes what killed runs left in `dir`: the extraction and staging
 * directories (`meshbackup-read-<pid>-…`, `meshbackup-save-<pid>-…`) of processes that are gone.
 * Every run calls it before making its own, so a SIGKILL leaves its files only until the next run.
 */
export async function removeStaleTemporaries(dir: string = os.tmpdir(), alive: (pid: number) => boolean = processAlive): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = /^meshbackup-(?:read|save)-(\d+)-/.exec(name);
    if (!match || alive(Number(match[1]))) continue;
    try {
      await fs.rm(path.join(dir, name), { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Another user's leftovers: not ours to remove.
    }
  }
  return removed;
}

/**
 * openArchive checks the archive before writing anything: member types, names (the closed
 * layout), count and sizes (within `limits`), then extracts into a private directory, reads the
 * manifest, checks its shape and that it lists exactly the members present, and checks every
 * member's sha256. Any problem is an InputFileError (exit 3) naming `file`.
 */
export async function openArchive(file: string, options: OpenArchiveOptions = {}): Promise<OpenedArchive> {
  const limits: ArchiveLimits = { ...defaultArchiveLimits, ...options.limits };
  let stat;
  try {
    stat = await fs.stat(file);
  } catch (err) {
    throw new InputFileError(file, `cannot read: ${readProblem(err as NodeJS.ErrnoException)}`);
  }
  if (!stat.isFile()) throw new InputFileError(file, stat.isDirectory() ? 'cannot read: it is a directory' : 'not a file');
  const head = Buffer.alloc(2);
  try {
    const handle = await fs.open(file, 'r');
    try {
      await handle.read(head, 0, 2, 0);
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw new InputFileError(file, `cannot read: ${readProblem(err as NodeJS.ErrnoException)}`);
  }
  if (head[0] !== 0x1f || head[1] !== 0x8b) throw new InputFileError(file, 'not a meshbackup archive (not gzip)');

  const members = await scanMembers(file, limits);
  const names = new Set(members.map((member) => member.name));
  if (!names.has(manifestName)) throw new InputFileError(file, 'not a meshbackup archive (no manifest.json)');

  const tempDir = options.tempDir ?? os.tmpdir();
  await removeStaleTemporaries(tempDir);
  const dir = await fs.mkdtemp(path.join(tempDir, `${readTempPrefix}${process.pid}-`));
  options.onExtracting?.(dir);
  const close = (): Promise<void> => fs.rm(dir, { recursive: true, force: true });
  try {
    try {
      // The scan above checked every name, type and size; extract exactly those members, and
      // nothing past the limits should the file have changed since (a member then goes missing
      // or fails its sha256 below).
      let extracted = 0;
      const filter = (name: string, entry: Tar.ReadEntry | Stats): boolean => {
        if (!names.has(name) || !('type' in entry) || (entry.type !== 'File' && entry.type !== 'OldFile')) return false;
        extracted += entry.size ?? 0;
        return (entry.size ?? 0) <= limits.maxMemberBytes && extracted <= limits.maxExpandedBytes;
      };
      await (await loadTar()).x({ file, cwd: dir, strict: true, preservePaths: false, filter } as Tar.TarOptionsWithAliasesAsyncFile);
    } catch (err) {
      throw new InputFileError(file, tarProblem(err));
    }
    let manifest: unknown;
    try {
      manifest = JSON.parse(await fs.readFile(path.join(dir, manifestName), 'utf8'));
    } catch (err) {
      throw new InputFileError(file, `manifest.json does not parse: ${(err as Error).message.split('\n')[0]}`);
    }
    const problem = manifestProblem(manifest);
    if (problem) throw new InputFileError(file, problem);
    const checked = manifest as Manifest;
    // A closed format: every member but the manifest is listed with its sha256, and nothing else.
    for (const name of [...names].sort()) {
      if (name !== manifestName && !Object.hasOwn(checked.files, name)) {
        throw new InputFileError(file, `member ${name} is not listed in the manifest (added or tampered)`);
      }
    }
    for (const [member, expected] of Object.entries(checked.files).sort()) {
      if (!names.has(member)) throw new InputFileError(file, `member ${member} listed in the manifest is missing`);
      const actual = createHash('sha256')
        .update(await fs.readFile(path.join(dir, member)))
        .digest('hex');
      if (actual !== expected) throw new InputFileError(file, `member ${member} does not match its sha256 (tampered or corrupt)`);
    }
    return { manifest: checked, dir, limits, close };
  } catch (err) {
    await close();
    throw err;
  }
}

export { maxExpandedNodes, expandedSize } from '../../../shared/charts/safe-input.js';

/** isKubeObject checks the fields a restore reads: string apiVersion, kind, metadata.name, metadata.namespace. */
function isKubeObject(value: unknown): value is KubeObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const object = value as { apiVersion?: unknown; kind?: unknown; metadata?: unknown };
  if (typeof object.apiVersion !== 'string' || !object.apiVersion || typeof object.kind !== 'string' || !object.kind) return false;
  const metadata = object.metadata as { name?: unknown; namespace?: unknown; labels?: unknown; annotations?: unknown } | null | undefined;
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return false;
  if (typeof metadata.name !== 'string' || !metadata.name) return false;
  if (metadata.namespace !== undefined && typeof metadata.namespace !== 'string') return false;
  for (const map of [metadata.labels, metadata.annotations]) {
    if (map !== undefined && map !== null && (typeof map !== 'object' || Array.isArray(map))) return false;
  }
  return true;
}

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
export async function parseMember(
  archiveFile: string,
  dir: string,
  member: string,
  maxNodes: number = maxExpandedNodes,
): Promise<KubeObject[]> {
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
  // Without aliases a document holds fewer nodes than the file has bytes (capped by the member
  // size limit); aliases may add maxNodes. A file without a "*" has no alias: no need to count.
  const aliased = text.includes('*');
  let budget = maxNodes + text.length;
  for (const [index, document] of documents.entries()) {
    if (document === null || document === undefined) continue;
    if (aliased) budget -= expandedSize(document, budget);
    if (budget < 0) throw new InputFileError(archiveFile, `${member}: YAML aliases expand past ${maxNodes} nodes (alias bomb?)`);
    const object = document as KubeObject;
    if (!isKubeObject(object)) {
      throw new InputFileError(archiveFile, `${member}: document ${index + 1} is not a Kubernetes object`);
    }
    objects.push(object);
  }
  return objects;
}
