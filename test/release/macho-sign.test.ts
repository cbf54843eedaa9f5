/**
 * Ad-hoc signing of the darwin binaries, on a small synthetic Mach-O shaped like postject's
 * output (a __TEXT segment, a section, __LINKEDIT last, no LC_CODE_SIGNATURE).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { adHocSign, checkAdHocSignature, readLayout } from '../../scripts/release/macho-sign.js';

/** aMachO builds a 64-bit MH_EXECUTE with __TEXT (one section at 0x1000) and __LINKEDIT, size bytes long. */
function aMachO(size: number): Buffer {
  const file = Buffer.alloc(size);
  for (let i = 0x1000; i < size; i++) file[i] = (i * 31) & 0xff;
  file.writeUInt32LE(0xfeedfacf, 0);
  file.writeUInt32LE(0x0100000c, 4); // arm64
  file.writeUInt32LE(2, 12); // MH_EXECUTE
  const text = 32;
  const textSize = 72 + 80;
  const linkedit = text + textSize;
  file.writeUInt32LE(2, 16);
  file.writeUInt32LE(textSize + 72, 20);
  file.writeUInt32LE(0x19, text);
  file.writeUInt32LE(textSize, text + 4);
  file.write('__TEXT', text + 8, 'latin1');
  file.writeBigUInt64LE(0x2000n, text + 32);
  file.writeBigUInt64LE(0n, text + 40);
  file.writeBigUInt64LE(0x2000n, text + 48);
  file.writeUInt32LE(1, text + 64);
  file.write('__text', text + 72, 'latin1');
  file.writeUInt32LE(0x1000, text + 72 + 48);
  file.writeUInt32LE(0x19, linkedit);
  file.writeUInt32LE(72, linkedit + 4);
  file.write('__LINKEDIT', linkedit + 8, 'latin1');
  file.writeBigUInt64LE(BigInt(size - 0x2000), linkedit + 32);
  file.writeBigUInt64LE(0x2000n, linkedit + 40);
  file.writeBigUInt64LE(BigInt(size - 0x2000), linkedit + 48);
  return file;
}

describe('ad-hoc Mach-O signing', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'macho-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('adds a code-signature command and a signature whose page hashes cover the whole file', () => {
    const file = path.join(dir, 'kubectl-meshbackup');
    writeFileSync(file, aMachO(0x2000 + 5000));
    adHocSign(file, 'kubectl-meshbackup');
    assert.deepEqual(checkAdHocSignature(file), []);
    const layout = readLayout(readFileSync(file));
    assert.equal(layout.codeSignature.dataoff % 16, 0);
    assert.equal(layout.codeSignature.dataoff + layout.codeSignature.datasize, readFileSync(file).length);
    assert.ok(readFileSync(file).includes('kubectl-meshbackup\0'), 'the identifier is the file name');
  });

  it('is found out when a signed page changes', () => {
    const file = path.join(dir, 'kubectl-meshscale');
    writeFileSync(file, aMachO(0x2000 + 100));
    adHocSign(file, 'kubectl-meshscale');
    const bytes = readFileSync(file);
    bytes[0x1800] = (bytes[0x1800] ?? 0) ^ 0xff;
    writeFileSync(file, bytes);
    assert.deepEqual(checkAdHocSignature(file), ['page 1 hash does not match']);
  });

  it('re-signs an already signed file in place', () => {
    const file = path.join(dir, 'helm-crdsync');
    writeFileSync(file, aMachO(0x3000));
    adHocSign(file, 'helm-crdsync');
    const size = readFileSync(file).length;
    adHocSign(file, 'helm-crdsync');
    assert.deepEqual(checkAdHocSignature(file), []);
    assert.equal(readFileSync(file).length, size);
  });

  it('refuses a file that is not a 64-bit Mach-O', () => {
    const file = path.join(dir, 'kubectl-meshbackup.exe');
    writeFileSync(file, Buffer.from('MZ\0\0not a mach-o'));
    assert.throws(() => adHocSign(file, 'x'), /not a thin 64-bit little-endian Mach-O/);
  });
});
