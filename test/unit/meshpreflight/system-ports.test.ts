import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSystemPorts } from '../../../plugins/kubectl-meshpreflight/commands/system-ports.js';

describe('meshpreflight system ports: running the vendor CLI and helm', () => {
  let dir: string;
  const script = (name: string, body: string) => {
    const path = join(dir, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  };
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'system-ports-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('answers stdout, stderr and the exit code, with colour off, stdin closed and only the given environment', async () => {
    const ports = createSystemPorts({ PATH: '/usr/bin:/bin', ONLY: 'this' });
    const path = script('cli', 'echo "$NO_COLOR $ONLY ${HOME:-nohome}"; read line || echo eof >&2; exit 3');
    assert.equal(ports.which('cli'), undefined, 'not on PATH');
    assert.deepEqual(await ports.runProgram(path, ['version'], 5000), { exitCode: 3, stdout: '1 this nohome\n', stderr: 'eof\n' });
  });

  it('stops a program that does not answer within the timeout and says so', async () => {
    const ports = createSystemPorts({ PATH: '/usr/bin:/bin' });
    const result = await ports.runProgram(script('slow', 'sleep 5'), [], 200);
    assert.equal(result.stderr, 'timed out after 200 ms');
    assert.notEqual(result.exitCode, 0);
  });

  it('never throws for a program that cannot start', async () => {
    const ports = createSystemPorts({ PATH: '/usr/bin:/bin' });
    const result = await ports.runProgram(join(dir, 'missing'), [], 1000);
    assert.equal(result.exitCode, -1);
    assert.match(result.stderr, /ENOENT/);
  });

  it('finds programs on the PATH it was given', () => {
    const path = script('glooctl', 'true');
    assert.equal(createSystemPorts({ PATH: `/nonexistent:${dir}` }).which('glooctl'), path);
  });
});
