import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import * as tar from 'tar';
import zlib from 'node:zlib';
import { execa } from 'execa';
import { repoRoot } from '../../support/paths.js';
import {
  ArchiveWriter,
  openArchive,
  parseMember,
  removeStalePartials,
  removeStaleTemporaries,
  splitDocuments,
  unsafeMemberPath,
} from '../../../plugins/kubectl-meshbackup/backup/archive.js';
import { discoverKinds, pageRetryPolicy, saveArchive, type SavePorts } from '../../../plugins/kubectl-meshbackup/backup/save.js';
import { checkObjects, checkServed } from '../../../plugins/kubectl-meshbackup/backup/verify.js';
import { Interrupt } from '../../../shared/cli/interrupt.js';
import { withArchive } from '../../../plugins/kubectl-meshbackup/commands/with-archive.js';
import { ApiStatusError, CliError, InputFileError, InterruptedError, PreconditionError } from '../../../shared/errors/errors.js';
import { ExitCode } from '../../../shared/errors/exit-codes.js';
import type { KubeObject, ListOptions } from '../../../shared/kube/ports.js';
import type { RetryClock } from '../../../shared/kube/retry.js';

function crd(
  group: string,
  plural: string,
  kind: string,
  versions: Array<{ name: string; served?: boolean; storage?: boolean }>,
): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}`, uid: 'x', resourceVersion: '1' },
    spec: { group, scope: 'Namespaced', names: { kind, plural }, versions },
  };
}

const splitCrd = crd('split.smi-spec.io', 'trafficsplits', 'TrafficSplit', [
  { name: 'v1alpha3', served: true, storage: true },
  { name: 'v1alpha2', served: true, storage: false },
]);
const otherCrd = crd('other.example.com', 'things', 'Thing', [{ name: 'v1', served: true, storage: true }]);

/** fakePorts serves `count` TrafficSplits in pages of `limit`, recording every list call. */
function fakePorts(count: number): SavePorts & { calls: ListOptions[] } {
  const calls: ListOptions[] = [];
  return {
    calls,
    crds: { list: async () => [splitCrd, otherCrd] },
    customObjects: {
      list: async (_gvr, options = {}) => {
        calls.push(options);
        const start = Number(options.continueToken ?? 0);
        const limit = options.limit ?? 500;
        const items = Array.from({ length: Math.max(0, Math.min(limit, count - start)) }, (_, i) => ({
          apiVersion: 'split.smi-spec.io/v1alpha3',
          kind: 'TrafficSplit',
          metadata: {
            name: `ts-${String(start + i).padStart(5, '0')}`,
            namespace: `ns-${(start + i) % 3}`,
            uid: `u${start + i}`,
            resourceVersion: '9',
          },
          spec: { service: 'svc' },
          status: { x: 1 },
        }));
        return { items, continueToken: start + limit < count ? String(start + limit) : undefined };
      },
    },
  };
}

describe('meshbackup archive', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'meshbackup-test-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  const noWait: RetryClock = { now: () => 0, sleep: async () => undefined, random: () => 0 };
  const save = (ports: SavePorts, target: string, extra: { force?: boolean; allowEmpty?: boolean; signal?: AbortSignal } = {}) =>
    saveArchive(ports, {
      signal: extra.signal,
      pageRetry: { policy: pageRetryPolicy, clock: noWait },
      groups: ['split.smi-spec.io'],
      target,
      force: extra.force ?? false,
      allowEmpty: extra.allowEmpty ?? false,
      includeStatus: false,
      pageSize: 7,
      tool: { name: 'kubectl-meshbackup', version: '0.0.0-test' },
      source: { context: 'sandbox', server: 'https://127.0.0.1:6443' },
      product: { profile: 'nginx-service-mesh' },
      now: () => new Date('2026-11-21T00:00:00Z'),
    });

  it('discovers only the CRDs of the asked groups, at the storage version', () => {
    assert.deepEqual(
      discoverKinds([otherCrd, splitCrd], ['split.smi-spec.io']).map((kind) => `${kind.plural}.${kind.group}/${kind.version}`),
      ['trafficsplits.split.smi-spec.io/v1alpha3'],
    );
  });

  it('saves every page into one sanitized per-kind file with counts and hashes, mode 0600', async () => {
    const target = path.join(dir, 'b.tar.gz');
    const ports = fakePorts(20);
    const manifest = await save(ports, target);
    // One probe (limit 1) before anything is written, then the three pages.
    assert.deepEqual(
      ports.calls.map((call) => [call.limit, call.continueToken]),
      [
        [1, undefined],
        [7, undefined],
        [7, '7'],
        [7, '14'],
      ],
    );
    assert.equal((await fs.stat(target)).mode & 0o777, 0o600);
    assert.deepEqual(manifest.kinds[0]?.countsByNamespace, { 'ns-0': 7, 'ns-1': 7, 'ns-2': 6 });
    const archive = await openArchive(target);
    try {
      const objects = await parseMember(target, archive.dir, 'resources/trafficsplits.split.smi-spec.io.yaml');
      assert.equal(objects.length, 20);
      assert.equal(objects[0]?.metadata?.uid, undefined);
      assert.equal(objects[0]?.status, undefined);
      const crds = await parseMember(target, archive.dir, 'crds/trafficsplits.split.smi-spec.io.yaml');
      assert.equal(crds[0]?.metadata?.resourceVersion, undefined);
      assert.deepEqual((await checkObjects(target, archive)).problems, []);
    } finally {
      await archive.close();
    }
  });

  it('asks again for a page that failed with the same continue token, so nothing is skipped or saved twice', async () => {
    const target = path.join(dir, 'retried.tar.gz');
    const ports = fakePorts(20);
    const list = ports.customObjects.list;
    let failures = 0;
    ports.customObjects.list = async (gvr, options = {}) => {
      // The second page fails as a flaky server would, more often than the client's own retries cover.
      if (options.continueToken === '7' && failures < 7) {
        failures++;
        ports.calls.push(options);
        throw new ApiStatusError({
          code: failures % 2 ? 503 : 429,
          reason: 'x',
          message: 'flaky',
          retryAfterSeconds: failures % 2 ? undefined : 1,
        });
      }
      return list(gvr, options);
    };
    await save(ports, target);
    // The probe (limit 1), the first page, eight tries of the second page, the third page.
    assert.deepEqual(
      ports.calls.map((call) => call.continueToken),
      [undefined, undefined, ...Array(8).fill('7'), '14'],
    );
    const archive = await openArchive(target);
    try {
      const names = (await parseMember(target, archive.dir, 'resources/trafficsplits.split.smi-spec.io.yaml')).map(
        (object) => object.metadata?.name,
      );
      assert.deepEqual(
        names,
        Array.from({ length: 20 }, (_, i) => `ts-${String(i).padStart(5, '0')}`),
      );
    } finally {
      await archive.close();
    }
  });

  it('waits out five quick 503s on the CRD list, and names the list when it gives up', async () => {
    const target = path.join(dir, 'crds.tar.gz');
    const ports = fakePorts(3);
    let failures = 5;
    const list = ports.crds.list;
    const unavailable = new ApiStatusError({
      code: 503,
      reason: 'ServiceUnavailable',
      message: 'the server is currently unable to handle the request',
    });
    ports.crds.list = async () => {
      if (failures-- > 0) throw unavailable;
      return list();
    };
    await save(ports, target);
    ports.crds.list = async () => {
      throw unavailable;
    };
    await assert.rejects(
      save(ports, path.join(dir, 'never.tar.gz')),
      /^ApiStatusError: listing customresourcedefinitions.apiextensions.k8s.io: the server is currently unable/,
    );
  });

  it('stops on a non-retriable list error and leaves no file', async () => {
    const target = path.join(dir, 'denied.tar.gz');
    const ports = fakePorts(20);
    ports.customObjects.list = async () => {
      throw new ApiStatusError({ code: 403, reason: 'Forbidden', message: 'no' });
    };
    await assert.rejects(save(ports, target), ApiStatusError);
    assert.deepEqual(await fs.readdir(dir), []);
  });

  it('stops when interrupted, leaving nothing at the target or beside it', async () => {
    const target = path.join(dir, 'interrupted.tar.gz');
    const interrupt = new AbortController();
    const ports = fakePorts(20);
    const list = ports.customObjects.list;
    ports.customObjects.list = async (gvr, options = {}) => {
      if (options.continueToken) interrupt.abort();
      return list(gvr, options);
    };
    const err = await save(ports, target, { signal: interrupt.signal }).catch((e: unknown) => e);
    assert.ok(err instanceof InterruptedError, String(err));
    assert.equal(err.exitCode, ExitCode.Interrupted);
    assert.deepEqual(await fs.readdir(dir), []);
  });

  it('removes the temporary file instead of renaming it when interrupted while packing', async () => {
    const target = path.join(dir, 'packing.tar.gz');
    const manifest = await save(fakePorts(3), path.join(dir, 'first.tar.gz'));
    await fs.rm(path.join(dir, 'first.tar.gz'));
    const writer = await ArchiveWriter.create();
    const member = await writer.member('resources/trafficsplits.split.smi-spec.io.yaml');
    await member.write({ apiVersion: 'v1', kind: 'X', metadata: { name: 'x' } });
    await writer.closeMember(member);
    const interrupt = new AbortController();
    interrupt.abort();
    await assert.rejects(writer.finish(manifest, target, false, interrupt.signal), InterruptedError);
    assert.deepEqual(await fs.readdir(dir), []);
  });

  it('gives identical resource files for two saves of the same state', async () => {
    const a = await save(fakePorts(10), path.join(dir, 'a.tar.gz'));
    const b = await save(fakePorts(10), path.join(dir, 'b.tar.gz'));
    assert.deepEqual(a.files, b.files);
  });

  it('refuses to overwrite an existing file without --force and leaves no partial file', async () => {
    const target = path.join(dir, 'b.tar.gz');
    await fs.writeFile(target, 'precious');
    await assert.rejects(save(fakePorts(3), target), PreconditionError);
    assert.equal(await fs.readFile(target, 'utf8'), 'precious');
    assert.deepEqual(await fs.readdir(dir), ['b.tar.gz']);
    await save(fakePorts(3), target, { force: true });
    assert.notEqual(await fs.readFile(target, 'utf8'), 'precious');
  });

  it('fails an empty save unless --allow-empty', async () => {
    const target = path.join(dir, 'e.tar.gz');
    await assert.rejects(save(fakePorts(0), target), PreconditionError);
    await assert.rejects(fs.access(target));
    await save(fakePorts(0), target, { allowEmpty: true });
    await fs.access(target);
  });

  it('reports an unwritable output path as one error with the precondition exit code, before listing anything', async () => {
    const ports = fakePorts(2);
    const err = await save(ports, path.join(dir, 'missing-dir', 'b.tar.gz')).catch((e: unknown) => e);
    assert.ok(err instanceof CliError);
    assert.equal(err.exitCode, ExitCode.Precondition);
    assert.match(err.message, /^cannot write .*missing-dir\/b\.tar\.gz: ENOENT$/);
    assert.deepEqual(ports.calls, []);
    const existing = path.join(dir, 'there.tar.gz');
    await fs.writeFile(existing, 'x');
    await assert.rejects(save(ports, existing), /already exists; use --force/);
    assert.deepEqual(ports.calls, [], 'an existing target is refused before listing too');
  });

  it('stops at a kind the user may not list (403) before writing anything', async () => {
    const ports = fakePorts(20);
    ports.crds.list = async () => [splitCrd, crd('split.smi-spec.io', 'hidden', 'Hidden', [{ name: 'v1', served: true, storage: true }])];
    const list = ports.customObjects.list;
    ports.customObjects.list = async (gvr, options) => {
      if (gvr.resource === 'hidden')
        throw new ApiStatusError({
          code: 403,
          reason: 'Forbidden',
          message: 'hidden.split.smi-spec.io is forbidden: User "u" cannot list resource "hidden"',
        });
      return list(gvr, options);
    };
    const err = await save(ports, path.join(dir, 'b.tar.gz')).catch((e: unknown) => e);
    assert.ok(err instanceof ApiStatusError && err.exitCode === ExitCode.Unauthorized, String(err));
    assert.ok(
      ports.calls.every((call) => call.limit === 1),
      'only probes were sent',
    );
    assert.deepEqual(await fs.readdir(dir), []);
  });

  it('leaves no archive and no partial file when the listing fails halfway', async () => {
    const ports = fakePorts(20);
    const list = ports.customObjects.list;
    ports.customObjects.list = async (gvr, options = {}) => {
      if (options.continueToken === '14') throw new ApiStatusError({ code: 500, reason: 'InternalError', message: 'etcd went away' });
      return list(gvr, options);
    };
    await assert.rejects(
      save(ports, path.join(dir, 'b.tar.gz')),
      /^ApiStatusError: listing trafficsplits\.split\.smi-spec\.io: etcd went away$/,
    );
    assert.equal(ports.calls.length, 3, 'the probe and two pages were read before the third page failed');
    assert.deepEqual(await fs.readdir(dir), []);
  });

  it('refuses a file that is not an archive, and a truncated one', async () => {
    const text = path.join(dir, 'not.tar.gz');
    await fs.writeFile(text, 'hello');
    await assert.rejects(openArchive(text), /not a meshbackup archive/);
    const target = path.join(dir, 'b.tar.gz');
    await save(fakePorts(50), target);
    const bytes = await fs.readFile(target);
    const truncated = path.join(dir, 'cut.tar.gz');
    await fs.writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const err = await openArchive(truncated).catch((e: unknown) => e);
    assert.ok(err instanceof InputFileError, String(err));
    assert.equal(err.exitCode, ExitCode.BadInput);
  });

  async function repack(target: string, edit: (staging: string) => Promise<void>): Promise<string> {
    const staging = path.join(dir, 'staging');
    await fs.mkdir(staging);
    await tar.x({ file: target, cwd: staging });
    await edit(staging);
    const out = path.join(dir, 'edited.tar.gz');
    await tar.c({ gzip: true, file: out, cwd: staging }, await fs.readdir(staging));
    return out;
  }

  it('refuses a member whose sha256 does not match (tampered)', async () => {
    const target = path.join(dir, 'b.tar.gz');
    await save(fakePorts(5), target);
    const edited = await repack(target, async (staging) => {
      await fs.appendFile(path.join(staging, 'resources/trafficsplits.split.smi-spec.io.yaml'), '# extra\n');
    });
    await assert.rejects(openArchive(edited), /does not match its sha256/);
  });

  it('refuses a newer format version', async () => {
    const target = path.join(dir, 'b.tar.gz');
    await save(fakePorts(1), target);
    const edited = await repack(target, async (staging) => {
      const file = path.join(staging, 'manifest.json');
      const manifest = JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, unknown>;
      await fs.writeFile(file, JSON.stringify({ ...manifest, formatVersion: 99 }));
    });
    await assert.rejects(openArchive(edited), /format version 99 is newer/);
  });

  it('names absolute and ".." member paths as unsafe', () => {
    assert.match(unsafeMemberPath('/etc/passwd') ?? '', /absolute/);
    assert.match(unsafeMemberPath('resources/../../x') ?? '', /\.\./);
    assert.equal(unsafeMemberPath('resources/a.yaml'), undefined);
  });

  it('parses a member a slice at a time exactly as the whole stream reads', async () => {
    const documents: string[] = [];
    for (let i = 0; i < 450; i++) {
      // Block scalars whose lines look like separators, comments, separators with comments.
      documents.push(
        `${i % 3 === 0 ? '--- # object ' + i : '---'}\napiVersion: x/v1\nkind: X\nmetadata:\n  name: o-${i}\nspec:\n  script: |\n    ---\n    echo ${i}\n  n: ${i}\n`,
      );
    }
    const text = `# leading comment\n${documents.join('')}`;
    await fs.writeFile(path.join(dir, 'many.yaml'), text);
    const parsed = await parseMember('many.tar.gz', dir, 'many.yaml');
    assert.deepEqual(parsed, yaml.loadAll(text));
    assert.equal(parsed.length, 450);
    assert.equal((parsed[449]?.spec as { script: string }).script, '---\necho 449\n');
  });

  it('reads streams it cannot cut safely at --- lines as a whole', async () => {
    assert.equal(splitDocuments('%YAML 1.2\n---\na: 1\n'), undefined);
    assert.equal(splitDocuments('a: 1\n...\n---\nb: 2\n'), undefined);
    assert.equal(splitDocuments('--- {apiVersion: x/v1, kind: X, metadata: {name: a}}\n'), undefined);
    assert.deepEqual(splitDocuments('---\na: 1\n--- # two\nb: 2\n---\n# only a comment\n'), ['\na: 1\n', '\nb: 2\n']);
    const inline = '--- {apiVersion: x/v1, kind: X, metadata: {name: a}}\n--- {apiVersion: x/v1, kind: X, metadata: {name: b}}\n';
    await fs.writeFile(path.join(dir, 'inline.yaml'), inline);
    assert.deepEqual(
      (await parseMember('inline.tar.gz', dir, 'inline.yaml')).map((o) => o.metadata?.name),
      ['a', 'b'],
    );
  });

  it('reports a YAML error with the line of the file, not of a slice', async () => {
    await fs.writeFile(
      path.join(dir, 'bad.yaml'),
      '---\napiVersion: x/v1\nkind: X\nmetadata: {name: a}\n---\napiVersion: x/v1\nkind: [unclosed\n',
    );
    await assert.rejects(parseMember('bad.tar.gz', dir, 'bad.yaml'), (err: unknown) => {
      assert.ok(err instanceof InputFileError);
      assert.match(err.message, /bad\.yaml: YAML does not parse: unexpected end of the stream within a flow collection \(8:1\)$/);
      return true;
    });
  });

  it('removes what a reader unpacked: when it ends, when it fails, and on Ctrl-C while it runs', async () => {
    const file = path.join(dir, 'read.tar.gz');
    await save(fakePorts(3), file);
    const exists = async (p: string): Promise<boolean> =>
      fs.stat(p).then(
        () => true,
        () => false,
      );
    const dirs: string[] = [];
    const noExit = () => () => undefined;
    await withArchive(file, noExit, async (archive) => {
      dirs.push(archive.dir);
      assert.equal(await exists(archive.dir), true);
    });
    await assert.rejects(
      withArchive(file, noExit, async (archive) => {
        dirs.push(archive.dir);
        throw new Error('reader failed');
      }),
      /reader failed/,
    );
    const interrupt = new Interrupt();
    await withArchive(
      file,
      (cleanup) => interrupt.onExit(cleanup),
      async (archive) => {
        dirs.push(archive.dir);
        interrupt.runCleanups();
        // What runPlugin does on a second Ctrl-C before it exits: the unpacked copy is gone at once.
        assert.equal(await exists(archive.dir), false);
      },
    );
    assert.equal(dirs.length, 3);
    for (const unpacked of dirs) assert.equal(await exists(unpacked), false, unpacked);
  });

  it('refuses a YAML alias bomb', async () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 8; i++)
      lines.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(97 + i)}`)
          .join(',')}]`,
      );
    await fs.writeFile(path.join(dir, 'bomb.yaml'), `apiVersion: v1\nkind: X\nmetadata: {name: b}\n${lines.join('\n')}\n`);
    await assert.rejects(parseMember('bomb.tar.gz', dir, 'bomb.yaml'), /alias bomb/);
  });

  it('names a backed-up version the target CRDs no longer serve', async () => {
    const target = path.join(dir, 'b.tar.gz');
    const manifest = await save(fakePorts(4), target);
    const dropped = crd('split.smi-spec.io', 'trafficsplits', 'TrafficSplit', [{ name: 'v1alpha4', served: true, storage: true }]);
    const problems = checkServed({ manifest }, [dropped]);
    assert.equal(problems.length, 1);
    assert.match(
      problems[0]?.reason ?? '',
      /backed-up TrafficSplit version split\.smi-spec\.io\/v1alpha3 \(4 objects\) is not served .*serves v1alpha4/,
    );
    assert.deepEqual(checkServed({ manifest }, [splitCrd]), []);
    assert.match(checkServed({ manifest }, [])[0]?.reason ?? '', /missing/);
  });

  async function editManifest(target: string, edit: (manifest: Record<string, unknown>) => void): Promise<string> {
    return repack(target, async (staging) => {
      const file = path.join(staging, 'manifest.json');
      const manifest = JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, unknown>;
      edit(manifest);
      await fs.writeFile(file, JSON.stringify(manifest));
    });
  }

  const refusedWith = async (file: string, pattern: RegExp): Promise<void> => {
    await assert.rejects(openArchive(file), (err: unknown) => {
      assert.ok(err instanceof InputFileError, String(err));
      assert.equal(err.exitCode, ExitCode.BadInput);
      assert.match(err.message, pattern);
      assert.doesNotMatch(err.message, /\n|TAR_|base256/);
      return true;
    });
  };

  it('refuses a manifest that points a kind at a file outside the archive layout', async () => {
    const target = path.join(dir, 'b.tar.gz');
    await save(fakePorts(3), target);
    const edited = await editManifest(target, (manifest) => {
      const [kind] = manifest.kinds as Array<Record<string, unknown>>;
      (kind as Record<string, unknown>).file = '../../../../tmp/x.yaml';
    });
    await refusedWith(
      edited,
      /kinds\[0\] names the file "..\/..\/..\/..\/tmp\/x.yaml"; the layout puts TrafficSplit in resources\/trafficsplits.split.smi-spec.io.yaml/,
    );
  });

  it('refuses a member the manifest does not list, and an edited member whose sha256 entry was dropped', async () => {
    const target = path.join(dir, 'b.tar.gz');
    await save(fakePorts(3), target);
    const added = await repack(target, async (staging) => {
      await fs.writeFile(
        path.join(staging, 'resources/extra.example.com.yaml'),
        'apiVersion: example.com/v1\nkind: X\nmetadata:\n  name: x\n',
      );
    });
    await refusedWith(added, /member resources\/extra.example.com.yaml is not listed in the manifest/);
    await fs.rm(path.join(dir, 'staging'), { recursive: true });
    await fs.rm(added);
    const dropped = await repack(target, async (staging) => {
      const member = 'resources/trafficsplits.split.smi-spec.io.yaml';
      await fs.appendFile(
        path.join(staging, member),
        '---\napiVersion: split.smi-spec.io/v1alpha3\nkind: TrafficSplit\nmetadata:\n  name: planted\n  namespace: ns-0\n',
      );
      const file = path.join(staging, 'manifest.json');
      const manifest = JSON.parse(await fs.readFile(file, 'utf8')) as { files: Record<string, string> };
      delete manifest.files[member];
      await fs.writeFile(file, JSON.stringify(manifest));
    });
    await refusedWith(dropped, /files has no sha256 for resources\/trafficsplits.split.smi-spec.io.yaml/);
  });

  it('refuses an archive that expands past its limit before extracting anything, and reads it with the limit raised', async () => {
    const target = path.join(dir, 'b.tar.gz');
    await save(fakePorts(2000), target);
    const temp = path.join(dir, 'temp');
    await fs.mkdir(temp);
    const small = { maxExpandedBytes: 64 * 1024 };
    await assert.rejects(
      openArchive(target, { limits: small, tempDir: temp }),
      /expands past 0.1 MiB \(the limit; raise it to read this archive\)|over the 0.1 MiB limit/,
    );
    assert.deepEqual(await fs.readdir(temp), [], 'nothing extracted');
    await assert.rejects(
      openArchive(target, { limits: { maxMemberBytes: 1024 }, tempDir: temp }),
      /is [0-9.]+ MiB, over the 0 MiB limit for one member|over the .* limit for one member/,
    );
    await assert.rejects(openArchive(target, { limits: { maxMembers: 2 }, tempDir: temp }), /more than 2 members/);
    const archive = await openArchive(target, { limits: { maxExpandedBytes: 64 * 1024 * 1024 }, tempDir: temp });
    await archive.close();
  });

  it("says what is wrong with a gzip of garbage and with a link member in the user's words", async () => {
    const garbage = path.join(dir, 'garbage.tar.gz');
    await fs.writeFile(garbage, zlib.gzipSync(Buffer.from('x'.repeat(2000))));
    await refusedWith(garbage, /not a meshbackup archive: the gzip does not hold a valid tar stream/);
    const target = path.join(dir, 'b.tar.gz');
    await save(fakePorts(1), target);
    const linked = await repack(target, async (staging) => {
      await fs.symlink('/etc/passwd', path.join(staging, 'resources/link.example.com.yaml'));
    });
    await refusedWith(
      linked,
      /member "resources\/link.example.com.yaml" is a symbolic link: a meshbackup archive holds only regular files/,
    );
  });

  it('refuses a manifest without createdAt and one with a null kind entry (exit 3, not an internal error)', async () => {
    const target = path.join(dir, 'b.tar.gz');
    await save(fakePorts(1), target);
    await refusedWith(await editManifest(target, (manifest) => delete manifest.createdAt), /manifest.json has no valid createdAt time/);
    await fs.rm(path.join(dir, 'staging'), { recursive: true });
    await refusedWith(
      await editManifest(target, (manifest) => (manifest.kinds as unknown[]).push(null)),
      /manifest.json kinds\[1\] is not an object/,
    );
  });

  it('refuses an archive it may not read (EACCES) with exit 3', async function () {
    const target = path.join(dir, 'b.tar.gz');
    await save(fakePorts(1), target);
    await fs.chmod(target, 0o000);
    if (process.getuid?.() !== 0) {
      await refusedWith(target, /cannot read: permission denied/);
      return;
    }
    // A mode cannot deny root (CI runs as root): run the plugin as nobody instead, from a copy of
    // the self-contained bundles in a folder nobody may read (the clone may sit under /root).
    const bin = await fs.mkdtemp(path.join(os.tmpdir(), 'meshbackup-nobody-'));
    await fs.cp(path.join(repoRoot, 'dist', 'bin'), bin, { recursive: true });
    await fs.chmod(bin, 0o755);
    const main = path.join(bin, 'kubectl-meshbackup.mjs');
    const result = await execa(process.execPath, [main, 'inspect', '-f', target], {
      reject: false,
      uid: 65534,
      gid: 65534,
      env: { HOME: os.tmpdir(), PATH: process.env.PATH ?? '' },
      extendEnv: false,
    });
    assert.equal(result.exitCode, 3, String(result.stderr));
    assert.match(String(result.stderr), /^error: .*b\.tar\.gz: cannot read: permission denied$/);
    await fs.rm(bin, { recursive: true, force: true });
  });

  it('refuses to replace a directory or a device, even with --force (exit 9), and leaves them as they were', async () => {
    const folder = path.join(dir, 'folder');
    await fs.mkdir(folder);
    for (const [target, what] of [
      [folder, 'a directory'],
      ['/dev/null', 'a device'],
    ] as const) {
      await assert.rejects(save(fakePorts(1), target, { force: true }), (err: unknown) => {
        assert.ok(err instanceof PreconditionError, String(err));
        assert.equal(err.message, `${target} is ${what}: save writes an archive file and replaces only a regular file, even with --force`);
        return true;
      });
    }
    assert.ok((await fs.stat('/dev/null')).isCharacterDevice());
    assert.ok((await fs.stat(folder)).isDirectory());
  });

  it('removes what killed runs left: extraction and staging folders of gone processes, and partial files beside the target', async () => {
    const gone = 2 ** 22 + 12345;
    const alive = (pid: number): boolean => pid !== gone;
    await fs.mkdir(path.join(dir, `meshbackup-read-${gone}-abc`));
    await fs.mkdir(path.join(dir, `meshbackup-save-${gone}-def`));
    await fs.mkdir(path.join(dir, `meshbackup-read-${process.pid}-ghi`));
    assert.deepEqual((await removeStaleTemporaries(dir, alive)).sort(), [`meshbackup-read-${gone}-abc`, `meshbackup-save-${gone}-def`]);
    assert.deepEqual(await fs.readdir(dir), [`meshbackup-read-${process.pid}-ghi`]);
    const target = path.join(dir, 'b.tar.gz');
    await fs.writeFile(path.join(dir, `.b.tar.gz.partial-${gone}`), 'half');
    assert.deepEqual(await removeStalePartials(target, alive), [`.b.tar.gz.partial-${gone}`]);
  });
});
