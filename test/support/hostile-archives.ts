/**
 * A generator of hostile meshbackup archives: it takes a valid archive apart and puts it back
 * together wrong, one member and one manifest field at a time — paths out of the layout, members
 * dropped, added, duplicated, turned into links, edited with and without a matching sha256,
 * manifest fields deleted or given the wrong type, gzip and tar streams cut and corrupted. The
 * tests run every variant through the functions `verify` and `restore` use (and a few through
 * the real plugin) and expect a refusal in one line with a documented exit code, never 70.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import * as tar from 'tar';
import { seededRandom } from './random.js';

/** Members is an archive's content: member path to bytes, in tar order. */
export type Members = Map<string, Buffer>;

/** HostileArchive is one variant: a name saying what was done, and how to write it. */
export interface HostileArchive {
  readonly name: string;
  /** write puts the variant at `file` (a scratch directory beside it may be used). */
  write(file: string): Promise<void>;
}

/** readMembers unpacks a valid archive into memory. */
export async function readMembers(file: string, scratch: string): Promise<Members> {
  const dir = await fs.mkdtemp(path.join(scratch, 'unpack-'));
  await tar.x({ file, cwd: dir });
  const members: Members = new Map();
  const walk = async (relative: string): Promise<void> => {
    for (const entry of await fs.readdir(path.join(dir, relative), { withFileTypes: true })) {
      const name = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(name);
      else members.set(name, await fs.readFile(path.join(dir, name)));
    }
  };
  await walk('');
  await fs.rm(dir, { recursive: true, force: true });
  return new Map([...members.entries()].sort(([a], [b]) => (a === 'manifest.json' ? -1 : b === 'manifest.json' ? 1 : a < b ? -1 : 1)));
}

/** Special entries a variant may add beside plain files. */
type Special =
  | { kind: 'symlink'; name: string; target: string }
  | { kind: 'hardlink'; name: string; target: string }
  | { kind: 'directory'; name: string };

/** packMembers writes members (and special entries) as a gzip'd tar at `file`; `order` may repeat a name. */
export async function packMembers(
  file: string,
  members: Members,
  options: { specials?: readonly Special[]; order?: readonly string[] } = {},
): Promise<void> {
  const dir = await fs.mkdtemp(path.join(path.dirname(file), 'pack-'));
  try {
    for (const [name, bytes] of members) {
      await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
      await fs.writeFile(path.join(dir, name), bytes);
    }
    for (const special of options.specials ?? []) {
      const at = path.join(dir, special.name);
      await fs.mkdir(path.dirname(at), { recursive: true });
      await fs.rm(at, { recursive: true, force: true });
      if (special.kind === 'symlink') await fs.symlink(special.target, at);
      else if (special.kind === 'hardlink') await fs.link(path.join(dir, special.target), at);
      else await fs.mkdir(at);
    }
    const names = options.order ?? [...new Set([...members.keys(), ...(options.specials ?? []).map((special) => special.name)])];
    await tar.c({ gzip: true, file, cwd: dir, portable: true, noDirRecurse: true }, [...names]);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** jsonPaths lists every path into a JSON value (objects, arrays and leaves). */
function jsonPaths(value: Json, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const paths: Array<Array<string | number>> = prefix.length > 0 ? [prefix] : [];
  if (Array.isArray(value)) value.forEach((item, index) => paths.push(...jsonPaths(item, [...prefix, index])));
  else if (value !== null && typeof value === 'object')
    for (const [key, child] of Object.entries(value)) paths.push(...jsonPaths(child, [...prefix, key]));
  return paths;
}

function withPath(value: Json, at: ReadonlyArray<string | number>, replacement: Json | undefined): Json {
  const copy = JSON.parse(JSON.stringify(value)) as Json;
  let parent = copy as Record<string | number, Json>;
  for (const key of at.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
  const last = at[at.length - 1] as string | number;
  if (replacement === undefined) {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else parent[last] = replacement;
  return copy;
}

/** fieldValues are the wrong values each manifest field is given in turn (undefined: deleted). */
const fieldValues: ReadonlyArray<[string, Json | undefined]> = [
  ['deleted', undefined],
  ['null', null],
  ['-1', -1],
  ['1.5', 1.5],
  ['empty string', ''],
  ['a path out of the archive', '../../../../tmp/outside.yaml'],
  ['an absolute path', '/etc/passwd'],
  ['an array', []],
  ['an object', {}],
  ['true', true],
  ['a long string', 'x'.repeat(300)],
];

/** memberEdits change a YAML member's text; the sha256 is then left stale or made to match. */
const memberEdits: ReadonlyArray<[string, (text: string) => string]> = [
  ['truncated', (text) => text.slice(0, Math.floor(text.length / 2))],
  ['emptied', () => ''],
  ['with a line appended', (text) => `${text}extra: [\n`],
  ['unparsable', (text) => `${text}\n---\n: : :\n  - [\n`],
  [
    'an alias bomb',
    () =>
      `a: &a ["x","x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n`,
  ],
  ['a scalar document', (text) => `${text}---\n42\n`],
  ['an extra object', (text) => `${text}---\napiVersion: x/v1\nkind: X\nmetadata:\n  name: extra\n  namespace: a\n`],
  ['a document of another kind', (text) => text.replace(/kind: (\w+)/, 'kind: $1Other')],
  ['a document without a namespace', (text) => text.replace(/^ {2}namespace: .*$/m, '')],
  ['a document with a null metadata', (text) => text.replace(/^metadata:\n( {2}.*\n)+/m, 'metadata: null\n')],
  ['a document with a numeric name', (text) => text.replace(/^ {2}name: .*$/m, '  name: 12')],
  ['a document with a list for labels', (text) => text.replace(/^metadata:\n/m, 'metadata:\n  labels: [a, b]\n')],
  ['a JavaScript function tag', (text) => `${text}---\n!!js/function 'function () { return 1 }'\n`],
  ['a YAML directive', (text) => `%YAML 1.2\n---\n${text}`],
];

/**
 * hostileArchives returns the variants of the valid archive `members`: manifest fields one by one
 * with every wrong value, members one by one (dropped, unlisted, renamed, duplicated, a link, a
 * directory, edited with a stale or a matching sha256), and the whole stream cut and corrupted.
 * `seed` picks the cut points and flipped bytes, so a run is reproducible.
 */
export function hostileArchives(members: Members, seed = 14): HostileArchive[] {
  const random = seededRandom(seed);
  const manifest = JSON.parse((members.get('manifest.json') as Buffer).toString('utf8')) as Json;
  const variants: HostileArchive[] = [];
  const withManifest = (next: Json, rest: Members = members): Members =>
    new Map([...rest.entries()].map(([name, bytes]) => [name, name === 'manifest.json' ? Buffer.from(JSON.stringify(next)) : bytes]));
  const plain = (name: string, content: () => Members, options?: Parameters<typeof packMembers>[2]): void => {
    variants.push({ name, write: (file) => packMembers(file, content(), options) });
  };

  // The manifest, field by field.
  // Every wrong value for the fields a reader acts on; three picked at random for the rest
  // (tool, source, sanitize, selector, product), which only describe the archive.
  for (const at of jsonPaths(manifest)) {
    const acted = ['formatVersion', 'createdAt', 'kinds', 'crds', 'files'].includes(String(at[0]));
    const values = acted ? fieldValues : [...fieldValues].sort(() => random() - 0.5).slice(0, 3);
    for (const [label, value] of values) {
      plain(`manifest ${at.join('.')} ${label}`, () => withManifest(withPath(manifest, at, value)));
    }
  }
  plain(
    'manifest not JSON',
    () =>
      new Map(
        [...members.entries()].map(([name, bytes]) => [name, name === 'manifest.json' ? Buffer.from('{"formatVersion": 1,') : bytes]),
      ),
  );
  plain('manifest a JSON array', () => withManifest([]));

  // Members, one by one.
  for (const member of [...members.keys()].filter((name) => name !== 'manifest.json')) {
    const dropped = new Map([...members.entries()].filter(([name]) => name !== member));
    plain(`${member} dropped`, () => dropped);
    plain(`${member} dropped with its sha256`, () => withManifest(withPath(manifest, ['files', member], undefined), dropped));
    plain(`${member} listed without a sha256, edited`, () =>
      withManifest(
        withPath(manifest, ['files', member], undefined),
        new Map(
          [...members.entries()].map(([name, bytes]) => [
            name,
            name === member ? Buffer.concat([bytes, Buffer.from('# edited\n')]) : bytes,
          ]),
        ),
      ),
    );
    plain(
      `${member} renamed out of the layout`,
      () => new Map([...members.entries()].map(([name, bytes]) => [name === member ? `${member}.bak` : name, bytes])),
    );
    plain(`${member} twice`, () => members, { order: [...members.keys(), member] });
    plain(`${member} a symbolic link out of the archive`, () => dropped, {
      specials: [{ kind: 'symlink', name: member, target: '/etc/passwd' }],
    });
    plain(`${member} a hard link to the manifest`, () => dropped, {
      specials: [{ kind: 'hardlink', name: member, target: 'manifest.json' }],
    });
    plain(`${member} a directory`, () => dropped, { specials: [{ kind: 'directory', name: member }] });
    for (const [label, edit] of memberEdits) {
      const edited = Buffer.from(edit((members.get(member) as Buffer).toString('utf8')));
      const replaced = new Map([...members.entries()].map(([name, bytes]) => [name, name === member ? edited : bytes]));
      plain(`${member} ${label}, sha256 stale`, () => replaced);
      plain(`${member} ${label}, sha256 matching`, () => withManifest(withPath(manifest, ['files', member], sha256(edited)), replaced));
    }
  }
  plain(
    'an unlisted member in the layout',
    () =>
      new Map([
        ...members.entries(),
        ['resources/extra.example.com.yaml', Buffer.from('apiVersion: example.com/v1\nkind: Extra\nmetadata:\n  name: x\n')],
      ]),
  );
  plain('an unlisted member outside the layout', () => new Map([...members.entries(), ['notes.txt', Buffer.from('hello')]]));
  plain('a member with a ".." path', () => members, { specials: [{ kind: 'symlink', name: 'resources/up.yaml', target: '../../x' }] });
  plain('no manifest', () => new Map([...members.entries()].filter(([name]) => name !== 'manifest.json')));

  // The whole stream.
  const bytesOf = async (file: string): Promise<Buffer> => {
    await packMembers(file, members);
    return fs.readFile(file);
  };
  const raw = (name: string, make: (valid: Buffer) => Buffer): void => {
    variants.push({ name, write: async (file) => fs.writeFile(file, make(await bytesOf(file))) });
  };
  for (let i = 0; i < 12; i++) {
    const fraction = random();
    raw(`cut at ${Math.round(fraction * 100)} %`, (valid) => valid.subarray(0, Math.max(1, Math.floor(valid.length * fraction))));
  }
  for (let i = 0; i < 12; i++) {
    const fraction = random();
    raw(`a byte flipped at ${Math.round(fraction * 100)} %`, (valid) => {
      const copy = Buffer.from(valid);
      const at = Math.min(copy.length - 1, 10 + Math.floor((copy.length - 10) * fraction));
      copy[at] = (copy[at] as number) ^ 0xff;
      return copy;
    });
  }
  raw('a gzip of garbage', () => gzipSync(Buffer.from(Array.from({ length: 4096 }, () => Math.floor(random() * 256)))));
  raw('a gzip of nothing', () => gzipSync(Buffer.alloc(0)));
  raw('a gzip of zeros', () => gzipSync(Buffer.alloc(64 * 1024)));
  raw('a plain tar, not gzip', (valid) => gunzipSync(valid));
  raw('an empty file', () => Buffer.alloc(0));
  raw('the gzip magic only', () => Buffer.from([0x1f, 0x8b]));
  raw('two archives concatenated', (valid) => Buffer.concat([valid, valid]));
  return variants;
}
