/**
 * Conformance of the sandbox API server, judged by the real kubectl: every kubectl command of
 * the vendor procedures, on the oldest and the newest kubectl this machine has. The kubectl on
 * PATH is a dispatcher that picks the client minor from the server's /version, so each suite
 * starts a sandbox reporting that version and a fresh HOME/KUBECACHEDIR.
 */
import { strict as assert } from 'node:assert';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import type { SandboxHandle } from '../../sandbox/index.js';
import { ClientEnv, expectSuccess } from '../support/cluster.js';
import { startTestSandbox } from '../support/target.js';
import { eventually } from '../support/eventually.js';
import { aCrd } from '../fixtures/crd-builder.js';
import { conformanceServerVersions } from '../support/tools.js';

const kubectlVersions = conformanceServerVersions();

for (const k8sVersion of kubectlVersions) {
  const minor = k8sVersion.split('.')[1];

  describe(`kubectl 1.${minor} against the sandbox`, function () {
    this.timeout(120_000);
    let sandbox: SandboxHandle;
    let client: ClientEnv;
    const kubectl = (...args: string[]) => client.kubectl(args);

    before(async function () {
      sandbox = await startTestSandbox({ k8sVersion, installs: ['gloo-mesh@0.10.7', 'nginx-service-mesh@1.7.0'] });
      client = new ClientEnv(sandbox.kubeconfigPath);
    });

    after(async function () {
      client?.dispose();
      await sandbox?.close();
    });

    it(`runs kubectl 1.${minor}, the minor the server reports`, async function () {
      const out = expectSuccess(await kubectl('version', '-o', 'json'), 'kubectl version');
      const info = JSON.parse(out.stdout) as { clientVersion: { minor: string }; serverVersion: { gitVersion: string } };
      assert.equal(info.clientVersion.minor, minor);
      assert.equal(info.serverVersion.gitVersion, `v${k8sVersion}`);
    });

    it('shows the Gloo Mesh control plane available with get deploy', async function () {
      await eventually(async () => {
        const out = expectSuccess(await kubectl('get', 'deploy', '-n', 'gloo-mesh'), 'kubectl get deploy');
        assert.match(out.stdout, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE/m);
        assert.match(out.stdout, /^discovery\s+1\/1\s+1\s+1\s+/m);
        assert.match(out.stdout, /^networking\s+1\/1\s+1\s+1\s+/m);
      });
    });

    it('scales networking to 0 as the Gloo Mesh runbook does, and its pods go away', async function () {
      const out = expectSuccess(await kubectl('scale', 'deployment', '-n', 'gloo-mesh', 'networking', '--replicas', '0'), 'kubectl scale');
      assert.match(out.stdout, /deployment\.apps\/networking scaled/);
      await eventually(async () => {
        const pods = expectSuccess(await kubectl('get', 'pods', '-n', 'gloo-mesh', '-o', 'name'), 'get pods');
        assert.doesNotMatch(pods.stdout, /^pod\/networking-/m);
        assert.match(pods.stdout, /^pod\/discovery-/m);
        const replicas = expectSuccess(
          await kubectl('get', 'deploy', 'networking', '-n', 'gloo-mesh', '-o', 'jsonpath={.spec.replicas}/{.status.replicas}'),
          'jsonpath',
        );
        assert.match(replicas.stdout, /^0\/0?$/);
      });
      expectSuccess(await kubectl('scale', 'deployment', '-n', 'gloo-mesh', 'networking', '--replicas', '1'), 'scale back');
      expectSuccess(
        await client.kubectl(['rollout', 'status', 'deployment/networking', '-n', 'gloo-mesh', '--timeout=60s']),
        'rollout status',
      );
    });

    it('backs up SMI resources with get -A -o yaml and re-creates them with create -f', async function () {
      const dir = join(client.home, 'backup');
      mkdirSync(dir);
      const kinds = ['trafficsplits.split.smi-spec.io', 'traffictargets.access.smi-spec.io'];
      const before: Record<string, string> = {};
      for (const kind of kinds) {
        const out = expectSuccess(await kubectl('get', kind, '-A', '-o', 'yaml'), `get ${kind}`);
        const list = yaml.load(out.stdout) as { kind: string; items: unknown[] };
        assert.equal(list.kind, 'List');
        assert.ok(list.items.length > 0, `${kind}: the install has example resources`);
        writeFileSync(join(dir, `${kind}.yaml`), out.stdout);
        before[kind] = names(await kubectl('get', kind, '-A', '-o', 'name'));
      }
      for (const kind of kinds) expectSuccess(await kubectl('delete', kind, '--all', '-A'), `delete ${kind}`);
      for (const kind of kinds) assert.equal(names(await kubectl('get', kind, '-A', '-o', 'name')), '');

      const created = expectSuccess(
        await client.kubectl(['create', '-f', `${kinds[0]}.yaml`, '-f', `${kinds[1]}.yaml`], { cwd: dir }),
        'create -f',
      );
      assert.match(created.stdout, / created$/m);
      for (const kind of kinds) assert.equal(names(await kubectl('get', kind, '-A', '-o', 'name')), before[kind]);
    });

    it('applies CRDs client-side, and refuses one over 256 KiB with the real Too long error', async function () {
      const dir = join(client.home, 'crds');
      mkdirSync(dir);
      const small = aCrd().forKind('conformance.example.test', 'Gadget').withVersion('v1').build();
      writeFileSync(join(dir, 'small.yaml'), yaml.dump(small));
      const applied = expectSuccess(await client.kubectl(['apply', '-f', 'small.yaml'], { cwd: dir }), 'apply small CRD');
      assert.match(applied.stdout, /customresourcedefinition\.apiextensions\.k8s\.io\/gadgets\.conformance\.example\.test created/);
      const again = expectSuccess(await client.kubectl(['apply', '-f', 'small.yaml'], { cwd: dir }), 'apply again');
      assert.match(again.stdout, /unchanged/);

      const big = aCrd()
        .forKind('conformance.example.test', 'Hugething')
        .withVersion('v1')
        .paddedTo(300 * 1024)
        .build();
      writeFileSync(join(dir, 'big.yaml'), yaml.dump(big));
      const refused = await client.kubectl(['apply', '-f', 'big.yaml'], { cwd: dir });
      assert.notEqual(refused.exitCode, 0);
      assert.match(refused.stderr, /metadata\.annotations: Too long: (must have at most|may not be more than) 262144 bytes/);
    });

    it('applies a directory server-side, and the big CRD with it', async function () {
      const dir = join(client.home, 'ssa');
      mkdirSync(dir);
      writeFileSync(
        join(dir, 'big.yaml'),
        yaml.dump(
          aCrd()
            .forKind('ssa.example.test', 'Bigthing')
            .withVersion('v1')
            .paddedTo(300 * 1024)
            .build(),
        ),
      );
      writeFileSync(
        join(dir, 'cm.yaml'),
        yaml.dump({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa-demo', namespace: 'default' }, data: { a: '1' } }),
      );
      const out = expectSuccess(await kubectl('apply', '--server-side', '-f', dir), 'apply --server-side');
      assert.match(out.stdout, /customresourcedefinition\.apiextensions\.k8s\.io\/bigthings\.ssa\.example\.test serverside-applied/);
      assert.match(out.stdout, /configmap\/ssa-demo serverside-applied/);
      const managers = expectSuccess(
        await kubectl('get', 'cm', 'ssa-demo', '-o', 'jsonpath={.metadata.managedFields[*].manager}', '--show-managed-fields'),
        'managedFields',
      );
      assert.match(managers.stdout, /kubectl/);
    });

    it('applies large CRDs one after another while the server answers slowly (a latency fault), every one on its connection', async function () {
      // The server used to leave a body unread while it waited: Node's parser then failed with
      // HPE_PAUSED on the rest of a large body and dropped the connection ("Unable to connect to
      // the server: EOF" from kubectl for about one CRD in eight).
      const dir = join(client.home, 'slow');
      mkdirSync(dir);
      const names: string[] = [];
      for (let i = 0; i < 16; i++) {
        const crd = aCrd()
          .forKind(`slow${i}.example.test`, `Slowthing${i}`)
          .withVersion('v1')
          .paddedTo(60 * 1024)
          .build();
        names.push(String(crd.metadata?.name));
        writeFileSync(join(dir, `crd-${String(i).padStart(2, '0')}.yaml`), yaml.dump(crd));
      }
      sandbox.faults.set('latency:ms=20');
      try {
        const out = expectSuccess(await kubectl('apply', '--server-side', '-f', dir), 'apply --server-side under latency');
        for (const name of names)
          assert.match(
            out.stdout,
            new RegExp(`customresourcedefinition\\.apiextensions\\.k8s\\.io/${name.replace(/\./g, '\\.')} serverside-applied`),
          );
      } finally {
        sandbox.faults.clear();
      }
    });

    it('refuses a request body over 3 MiB as kube-apiserver does (413 RequestEntityTooLarge), creating nothing', async function () {
      const dir = join(client.home, 'large-bodies');
      mkdirSync(dir);
      // --server-side sends the object once, as it is. (Objects that large fail validation or etcd's
      // 1.5 MiB limit on a real server too; the body limit answers first.)
      const over = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'over-limit', namespace: 'default' },
        data: { blob: 'x'.repeat(3 * 1024 * 1024) },
      };
      writeFileSync(join(dir, 'over.json'), JSON.stringify(over));
      const refused = await kubectl('apply', '--server-side', '-f', join(dir, 'over.json'));
      assert.notEqual(refused.exitCode, 0);
      assert.match(refused.stderr, /Request entity too large: limit is 3145728/);
      assert.equal((await kubectl('get', 'configmap', 'over-limit', '--ignore-not-found', '-o', 'name')).stdout, '');
    });

    it("refuses a custom resource past etcd's 1.5 MiB request limit as kube-apiserver passes it on (500, no reason), but not its dry run", async function () {
      const dir = join(client.home, 'etcd-limit');
      mkdirSync(dir);
      const crd = aCrd()
        .forKind('etcd.example.test', 'Blob')
        .withVersion('v1', { schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } })
        .build();
      writeFileSync(join(dir, 'crd.json'), JSON.stringify(crd));
      expectSuccess(await kubectl('apply', '--server-side', '-f', join(dir, 'crd.json')), 'apply crd');
      expectSuccess(await kubectl('wait', '--for=condition=Established', 'crd/blobs.etcd.example.test', '--timeout=30s'), 'wait');
      const blob = (name: string, bytes: number) => ({
        apiVersion: 'etcd.example.test/v1',
        kind: 'Blob',
        metadata: { name, namespace: 'default' },
        data: 'x'.repeat(bytes),
      });
      // Under the 3 MiB body limit, over what etcd stores.
      writeFileSync(join(dir, 'over.json'), JSON.stringify(blob('over', 2 * 1024 * 1024)));
      const refused = await kubectl('create', '-f', join(dir, 'over.json'));
      assert.notEqual(refused.exitCode, 0);
      assert.match(refused.stderr, /^Error from server: error when creating "[^"]+over\.json": etcdserver: request is too large$/m);
      const dryRun = expectSuccess(await kubectl('create', '--dry-run=server', '-f', join(dir, 'over.json')), 'dry run');
      assert.match(dryRun.stdout, /blob\.etcd\.example\.test\/over created \(server dry run\)/);
      assert.equal((await kubectl('get', 'blobs', 'over', '--ignore-not-found', '-o', 'name')).stdout, '');
      writeFileSync(join(dir, 'under.json'), JSON.stringify(blob('under', 1024 * 1024)));
      expectSuccess(await kubectl('create', '-f', join(dir, 'under.json')), 'a 1 MiB custom resource');
    });

    it('waits for a CRD to be Established', async function () {
      const out = expectSuccess(
        await kubectl('wait', '--for=condition=Established', 'crd/bigthings.ssa.example.test', '--timeout=30s'),
        'kubectl wait',
      );
      assert.match(out.stdout, /condition met/);
    });

    it('restarts a deployment and follows the rollout to the end', async function () {
      const restarted = expectSuccess(await kubectl('rollout', 'restart', 'deployment/discovery', '-n', 'gloo-mesh'), 'rollout restart');
      assert.match(restarted.stdout, /deployment\.apps\/discovery restarted/);
      const status = expectSuccess(
        await kubectl('rollout', 'status', 'deployment/discovery', '-n', 'gloo-mesh', '--timeout=60s'),
        'rollout status',
      );
      assert.match(status.stdout, /successfully rolled out/);
    });

    it('follows the rollout of a StatefulSet', async function () {
      const status = expectSuccess(
        await kubectl('rollout', 'status', 'statefulset/spire-server', '-n', 'nginx-mesh', '--timeout=60s'),
        'rollout status sts',
      );
      assert.match(status.stdout, /(roll out complete|partitioned roll out complete|successfully rolled out)/);
    });

    it('deletes what a file names with delete -f', async function () {
      const dir = join(client.home, 'del');
      mkdirSync(dir);
      const file = join(dir, 'cm.yaml');
      writeFileSync(
        file,
        yaml.dump({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'to-delete', namespace: 'default' }, data: { k: 'v' } }),
      );
      expectSuccess(await kubectl('create', '-f', file), 'create');
      const deleted = expectSuccess(await kubectl('delete', '-f', file), 'delete -f');
      assert.match(deleted.stdout, /configmap "to-delete" deleted/);
      const gone = await kubectl('get', 'cm', 'to-delete', '-n', 'default');
      assert.equal(gone.exitCode, 1);
      assert.match(gone.stderr, /Error from server \(NotFound\): configmaps "to-delete" not found/);
    });

    it('prints fields with -o jsonpath', async function () {
      const out = expectSuccess(
        await kubectl(
          'get',
          'deploy',
          '-n',
          'gloo-mesh',
          '-o',
          'jsonpath={range .items[*]}{.metadata.name}={.spec.template.spec.containers[0].image}{"\\n"}{end}',
        ),
        'jsonpath',
      );
      assert.match(out.stdout, /^discovery=soloio\/gloo-mesh:0\.10\.7$/m);
      assert.match(out.stdout, /^networking=soloio\/gloo-mesh:0\.10\.7$/m);
    });

    it('answers auth can-i for the admin and the restricted user', async function () {
      const admin = await kubectl('auth', 'can-i', 'create', 'customresourcedefinitions');
      assert.equal(admin.exitCode, 0);
      assert.equal(admin.stdout.trim(), 'yes');
      const restricted = await kubectl('--context', 'sandbox-restricted', 'auth', 'can-i', 'create', 'customresourcedefinitions');
      assert.equal(restricted.exitCode, 1);
      assert.equal(restricted.stdout.trim(), 'no');
      const canScale = await kubectl('--context', 'sandbox-restricted', 'auth', 'can-i', 'patch', 'deployments', '-n', 'gloo-mesh');
      assert.equal(canScale.stdout.trim(), 'yes');
    });

    it('refuses the restricted user a CRD with a real 403', async function () {
      const dir = join(client.home, 'forbidden');
      mkdirSync(dir);
      writeFileSync(join(dir, 'crd.yaml'), yaml.dump(aCrd().forKind('forbidden.example.test', 'Nope').withVersion('v1').build()));
      const out = await client.kubectl(['--context', 'sandbox-restricted', 'create', '-f', 'crd.yaml'], { cwd: dir });
      assert.equal(out.exitCode, 1);
      assert.match(
        out.stderr,
        /Error from server \(Forbidden\).*customresourcedefinitions.* is forbidden: User "sandbox-restricted" cannot create resource "customresourcedefinitions" in API group "apiextensions\.k8s\.io" at the cluster scope/,
      );
    });

    it('lists built-in and Established custom resources with api-resources', async function () {
      const out = expectSuccess(await kubectl('api-resources'), 'api-resources');
      assert.match(out.stdout, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
      assert.match(out.stdout, /^trafficsplits\s+.*split\.smi-spec\.io\/v1alpha\d\s+true\s+TrafficSplit$/m);
      assert.match(out.stdout, /^customresourcedefinitions\s+crd,crds\s+apiextensions\.k8s\.io\/v1\s+false\s+CustomResourceDefinition$/m);
    });

    it('patches a custom resource only with a merge patch, as a real server (415 for strategic merge)', async function () {
      const first = expectSuccess(
        await kubectl(
          'get',
          'trafficsplits.split.smi-spec.io',
          '-A',
          '-o',
          'jsonpath={.items[0].metadata.namespace} {.items[0].metadata.name}',
        ),
        'first trafficsplit',
      ).stdout;
      const [ns = '', short = ''] = first.split(' ');
      const name = `trafficsplits.split.smi-spec.io/${short}`;
      const smp = await kubectl('patch', name, '-n', ns, '-p', '{"metadata":{"labels":{"x":"y"}}}');
      assert.notEqual(smp.exitCode, 0);
      assert.match(smp.stderr, /application\/strategic-merge-patch\+json is not supported/);
      const merge = expectSuccess(
        await kubectl('patch', name, '-n', ns, '--type=merge', '-p', '{"metadata":{"labels":{"x":"y"}}}'),
        'merge patch',
      );
      assert.match(merge.stdout, /patched/);
    });
  });
}

function names(result: { exitCode: number; stdout: string; stderr: string }): string {
  expectSuccess(result, 'kubectl get -o name');
  return result.stdout.trim().split('\n').filter(Boolean).sort().join('\n');
}
