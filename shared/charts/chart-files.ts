/**
 * Reading a Helm chart's CRD files from a packaged chart (.tgz) or a chart directory, treating the
 * chart as hostile: members with absolute or `..` paths, links, devices, too many members, members or
 * totals over a size cap are refused before anything is used; nothing is written to disk (the
 * archive is read in memory, member by member). Like `helm show crds`, the crds/ folders of the
 * chart and of its subcharts (charts/<name>/ or charts/<name>.tgz) are read; templates are not.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import yaml from 'js-yaml';
import type * as Tar from 'tar';
import { InputFileError } from '../errors/errors.js';
import { unsafeMemberPath } from './safe-input.js';

/** loadTar imports tar only when a chart is read: `--help` need not pay for it. */
const loadTar = (): Promise<typeof Tar> => import('tar');

/** ChartLimits are the caps a chart must stay within. */
export interface ChartLimits {
  /** archiveBytes caps a packaged chart's compressed size. */
  readonly archiveBytes: number;
  /** memberBytes caps one file (the largest vendor CRD is ~1.8 MB of YAML). */
  readonly memberBytes: number;
  /** totalBytes caps everything read from one chart, uncompressed (gzip bombs). */
  readonly totalBytes: number;
  /** members caps the number of archive members. */
  readonly members: number;
  /** depth caps subchart nesting. */
  readonly depth: number;
}

/** defaultChartLimits are generous for real charts and small against hostile ones. */
export const defaultChartLimits: ChartLimits = {
  archiveBytes: 64 * 1024 * 1024,
  memberBytes: 16 * 1024 * 1024,
  totalBytes: 256 * 1024 * 1024,
  members: 20_000,
  depth: 5,
};

/** ChartFile is one file of a chart, path relative to the chart's root folder. */
export interface ChartFile {
  readonly path: string;
  readonly text: string;
}

/** ChartCrds is what crdsync needs of a chart: its identity and its CRD files. */
export interface ChartCrds {
  readonly name: string;
  readonly version: string;
  readonly appVersion?: string;
  /** crdFiles are the YAML files under crds/ of the chart and its subcharts, in path order. */
  readonly crdFiles: readonly ChartFile[];
}

const yamlFile = /\.ya?ml$/i;
const jsonFile = /\.json$/i;

/** isCrdFile says whether a path relative to a chart root is a crds/ file helm would read. */
function isCrdFile(relative: string): boolean {
  return /^crds\//.test(relative) && (yamlFile.test(relative) || jsonFile.test(relative));
}

/** readChartMetadata parses Chart.yaml (name and version are required, as helm requires them). */
function readChartMetadata(source: string, text: string): { name: string; version: string; appVersion?: string } {
  let parsed: unknown;
  try {
    parsed = yaml.load(text, { schema: yaml.DEFAULT_SCHEMA });
  } catch (err) {
    throw new InputFileError(source, `Chart.yaml does not parse: ${(err as Error).message.split('\n')[0]}`);
  }
  const meta = parsed as { name?: unknown; version?: unknown; appVersion?: unknown } | null;
  if (!meta || typeof meta !== 'object' || typeof meta.name !== 'string' || meta.version === undefined) {
    throw new InputFileError(source, 'Chart.yaml has no name or version: not a Helm chart');
  }
  return {
    name: meta.name,
    version: String(meta.version),
    ...(meta.appVersion !== undefined ? { appVersion: String(meta.appVersion) } : {}),
  };
}

/** Budget counts bytes read across one chart and its subcharts. */
class Budget {
  private used = 0;
  constructor(
    private readonly source: string,
    readonly limits: ChartLimits,
  ) {}

  take(member: string, bytes: number): void {
    if (bytes > this.limits.memberBytes)
      throw new InputFileError(this.source, `member "${member}" is ${bytes} bytes, over the ${this.limits.memberBytes}-byte cap`);
    this.used += bytes;
    if (this.used > this.limits.totalBytes)
      throw new InputFileError(this.source, `chart expands past ${this.limits.totalBytes} bytes (archive bomb?)`);
  }
}

/**
 * readArchiveMembers reads a gzip'd tar from memory, checking every member, and returns the
 * contents of the members `wanted` selects. Any link, device, absolute or `..` path is refused.
 */
async function readArchiveMembers(
  source: string,
  data: Buffer,
  budget: Budget,
  wanted: (member: string) => boolean,
): Promise<Map<string, Buffer>> {
  const tar = await loadTar();
  const found = new Map<string, Buffer>();
  let members = 0;
  let problem: InputFileError | undefined;
  const refuse = (reason: string) => {
    problem ??= new InputFileError(source, reason);
  };
  await new Promise<void>((resolve, reject) => {
    const parser = new tar.Parser({
      strict: true,
      onReadEntry: (entry: Tar.ReadEntry) => {
        members++;
        const name = entry.path;
        const pathProblem = unsafeMemberPath(name);
        if (members > budget.limits.members) refuse(`more than ${budget.limits.members} members`);
        else if (pathProblem) refuse(pathProblem);
        else if (entry.type === 'SymbolicLink' || entry.type === 'Link')
          refuse(`member "${name}" is a link (to "${entry.linkpath ?? ''}"): links are refused`);
        else if (entry.type !== 'File' && entry.type !== 'OldFile' && entry.type !== 'Directory' && entry.type !== 'ContiguousFile') {
          // pax and GNU long-name headers are consumed by the parser; anything else (devices, fifos) has no place in a chart.
          refuse(`member "${name}" is a ${entry.type}: only files and directories are allowed`);
        }
        if (problem || entry.type === 'Directory' || !wanted(name)) {
          entry.resume();
          return;
        }
        try {
          budget.take(name, entry.size ?? 0);
        } catch (err) {
          problem ??= err as InputFileError;
          entry.resume();
          return;
        }
        const chunks: Buffer[] = [];
        entry.on('data', (chunk: Buffer) => chunks.push(chunk));
        entry.on('end', () => found.set(name, Buffer.concat(chunks)));
      },
    });
    parser.on('error', (err: Error) => reject(new InputFileError(source, `truncated or corrupt chart archive: ${err.message}`)));
    parser.on('warn', (_code: string, message: string | Error) => refuse(`truncated or corrupt chart archive: ${String(message)}`));
    parser.on('end', () => resolve());
    parser.on('close', () => resolve());
    parser.end(data);
  });
  if (problem) throw problem;
  return found;
}

/**
 * readChartArchive reads a packaged chart (.tgz bytes): Chart.yaml of the top folder, its crds/,
 * and recursively those of its subcharts. `source` names the chart in errors.
 */
export async function readChartArchive(
  source: string,
  data: Buffer,
  limits: ChartLimits = defaultChartLimits,
  depth = 0,
  budget = new Budget(source, limits),
): Promise<ChartCrds> {
  if (data.length > limits.archiveBytes)
    throw new InputFileError(source, `chart archive is ${data.length} bytes, over the ${limits.archiveBytes}-byte cap`);
  if (data[0] !== 0x1f || data[1] !== 0x8b) throw new InputFileError(source, 'not a packaged chart (not gzip)');
  // A packaged chart has one top folder (the chart name); helm reads Chart.yaml, crds/ and charts/ under it.
  const wanted = (member: string): boolean => {
    const rest = member.split('/').slice(1).join('/');
    return (
      rest === 'Chart.yaml' || isCrdFile(rest) || /^charts\/[^/]+\.tgz$/.test(rest) || /^charts\/[^/]+\/(Chart\.yaml|crds\/.+)$/.test(rest)
    );
  };
  const members = await readArchiveMembers(source, data, budget, wanted);
  const tops = new Set([...members.keys()].map((member) => member.split('/')[0]));
  const top = [...tops].find((folder) => members.has(`${folder}/Chart.yaml`));
  if (!top) throw new InputFileError(source, 'no Chart.yaml in the archive: not a Helm chart');
  const meta = readChartMetadata(source, (members.get(`${top}/Chart.yaml`) as Buffer).toString('utf8'));
  const crdFiles: ChartFile[] = [];
  const subcharts = new Set<string>();
  for (const [member, content] of [...members].sort(([a], [b]) => a.localeCompare(b))) {
    if (!member.startsWith(`${top}/`)) continue;
    const rest = member.slice(top.length + 1);
    if (isCrdFile(rest)) crdFiles.push({ path: rest, text: content.toString('utf8') });
    const unpacked = /^charts\/([^/]+)\/(crds\/.+)$/.exec(rest);
    if (unpacked && isCrdFile(unpacked[2] as string)) {
      subcharts.add(unpacked[1] as string);
      crdFiles.push({ path: rest, text: content.toString('utf8') });
    }
    if (/^charts\/[^/]+\.tgz$/.test(rest)) {
      if (depth + 1 > limits.depth) throw new InputFileError(source, `subcharts nest deeper than ${limits.depth}`);
      const sub = await readChartArchive(`${source}:${rest}`, content, limits, depth + 1, budget);
      for (const file of sub.crdFiles) crdFiles.push({ path: `${rest.replace(/\.tgz$/, '')}/${file.path}`, text: file.text });
    }
  }
  return { ...meta, crdFiles };
}

/**
 * readChartDirectory reads an unpacked chart folder. Symbolic links are refused when they point
 * outside the chart (helm itself follows links inside a chart directory).
 */
export async function readChartDirectory(dir: string, limits: ChartLimits = defaultChartLimits): Promise<ChartCrds> {
  const root = await fs.realpath(dir);
  const budget = new Budget(dir, limits);
  const read = async (relative: string): Promise<string | undefined> => {
    const full = path.join(root, relative);
    let real: string;
    try {
      real = await fs.realpath(full);
    } catch {
      return undefined;
    }
    if (real !== root && !real.startsWith(`${root}${path.sep}`)) throw new InputFileError(dir, `${relative} links outside the chart`);
    const stat = await fs.stat(real);
    if (!stat.isFile()) return undefined;
    budget.take(relative, stat.size);
    return fs.readFile(real, 'utf8');
  };
  const list = async (relative: string): Promise<string[]> => {
    try {
      const real = await fs.realpath(path.join(root, relative));
      if (real !== root && !real.startsWith(`${root}${path.sep}`)) throw new InputFileError(dir, `${relative} links outside the chart`);
      return (await fs.readdir(real)).sort();
    } catch (err) {
      if (err instanceof InputFileError) throw err;
      return [];
    }
  };
  const chartYaml = await read('Chart.yaml');
  if (chartYaml === undefined) throw new InputFileError(dir, 'no Chart.yaml: not a Helm chart directory');
  const meta = readChartMetadata(dir, chartYaml);
  const crdFiles: ChartFile[] = [];
  const walk = async (relative: string, depth: number): Promise<void> => {
    if (depth > 8) return;
    for (const name of await list(relative)) {
      const child = `${relative}/${name}`;
      const real = await fs.realpath(path.join(root, child)).catch(() => undefined);
      if (!real) continue;
      if (real !== root && !real.startsWith(`${root}${path.sep}`)) throw new InputFileError(dir, `${child} links outside the chart`);
      if ((await fs.stat(real)).isDirectory()) await walk(child, depth + 1);
      else if (yamlFile.test(name) || jsonFile.test(name)) {
        const text = await read(child);
        if (text !== undefined) crdFiles.push({ path: child, text });
      }
    }
  };
  await walk('crds', 0);
  for (const name of await list('charts')) {
    const child = `charts/${name}`;
    if (/\.tgz$/.test(name)) {
      const real = await fs.realpath(path.join(root, child));
      if (!real.startsWith(`${root}${path.sep}`)) throw new InputFileError(dir, `${child} links outside the chart`);
      const sub = await readChartArchive(`${dir}/${child}`, await fs.readFile(real), limits, 1);
      for (const file of sub.crdFiles) crdFiles.push({ path: `${child.replace(/\.tgz$/, '')}/${file.path}`, text: file.text });
    } else {
      await walk(`${child}/crds`, 1);
    }
  }
  return { ...meta, crdFiles };
}

/** readLocalChart reads a local .tgz or chart directory, whichever `file` is. */
export async function readLocalChart(file: string, limits: ChartLimits = defaultChartLimits): Promise<ChartCrds> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch (err) {
    throw new InputFileError(file, `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  if (stat.isDirectory()) return readChartDirectory(file, limits);
  if (stat.size > limits.archiveBytes)
    throw new InputFileError(file, `chart archive is ${stat.size} bytes, over the ${limits.archiveBytes}-byte cap`);
  return readChartArchive(file, await fs.readFile(file), limits);
}
