/**
 * Chart archives and repository indexes, written the way `helm package` and `helm repo index` do:
 * a plain ustar writer (it writes member names exactly as given, so tests can also build the
 * hostile archives tar libraries refuse to write) gzip'd, and an index.yaml with sha256 digests.
 * The rehearsal charts (`npm run demo`) and the tests' chart fixtures are both built with it.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import yaml from 'js-yaml';

/** TarMember is one raw tar member. */
export interface TarMember {
  readonly name: string;
  readonly content?: string | Buffer;
  /** type: '0' file (default), '2' symlink, '1' hard link, '5' directory, '3' character device. */
  readonly type?: '0' | '1' | '2' | '3' | '5';
  readonly linkname?: string;
  /** size overrides the header's size field (to claim a huge member). */
  readonly size?: number;
}

function octal(value: number, length: number): string {
  return `${value.toString(8).padStart(length - 1, '0')}\0`;
}

function header(member: TarMember, size: number): Buffer {
  const block = Buffer.alloc(512, 0);
  block.write(member.name.slice(0, 100), 0, 'utf8');
  block.write(octal(member.type === '5' ? 0o755 : 0o644, 8), 100);
  block.write(octal(0, 8), 108);
  block.write(octal(0, 8), 116);
  block.write(octal(size, 12), 124);
  block.write(octal(0, 12), 136);
  block.write('        ', 148);
  block.write(member.type ?? '0', 156);
  if (member.linkname) block.write(member.linkname.slice(0, 100), 157);
  block.write('ustar\u000000', 257, 'binary');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(octal(sum, 7), 148);
  return block;
}

/** tarGz packs members into a gzip'd tar, exactly as given (no path cleaning). */
export function tarGz(members: readonly TarMember[]): Buffer {
  const parts: Buffer[] = [];
  for (const member of members) {
    const content = member.content === undefined ? Buffer.alloc(0) : Buffer.from(member.content);
    parts.push(header(member, member.size ?? content.length));
    if (content.length > 0) {
      parts.push(content, Buffer.alloc((512 - (content.length % 512)) % 512, 0));
    }
  }
  parts.push(Buffer.alloc(1024, 0));
  return gzipSync(Buffer.concat(parts));
}

/** IndexedChart is one chart archive published in a repository index. */
export interface IndexedChart {
  readonly name: string;
  readonly version: string;
  /** appVersion, when the chart has one (NGINX Service Mesh's chart 0.7.0 is mesh 1.7.0). */
  readonly appVersion?: string;
  /** kubeVersion, as Chart.yaml states it (meshpreflight reads it from the index). */
  readonly kubeVersion?: string;
  /** file is the URL path relative to the repository. */
  readonly file: string;
  readonly data: Buffer;
  /** digest overrides the sha256 the index states (to publish a mismatching one). */
  readonly digest?: string;
}

/** repositoryIndex writes index.yaml for charts, with sha256 digests as `helm repo index` does (newest version first). */
export function repositoryIndex(charts: readonly IndexedChart[]): string {
  const entries: Record<string, unknown[]> = {};
  for (const chart of charts) {
    (entries[chart.name] ??= []).push({
      apiVersion: 'v2',
      name: chart.name,
      version: chart.version,
      ...(chart.appVersion ? { appVersion: chart.appVersion } : {}),
      ...(chart.kubeVersion ? { kubeVersion: chart.kubeVersion } : {}),
      urls: [chart.file],
      digest: chart.digest ?? createHash('sha256').update(chart.data).digest('hex'),
      created: '2026-01-01T00:00:00Z',
    });
  }
  return yaml.dump({ apiVersion: 'v1', entries, generated: '2026-01-01T00:00:00Z' });
}
