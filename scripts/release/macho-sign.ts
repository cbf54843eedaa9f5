/**
 * Ad-hoc code signing of a thin 64-bit Mach-O executable, from any OS: what `codesign --force
 * --sign -` does on a Mac. macOS on Apple silicon kills any process whose code is not signed,
 * and injecting the SEA blob invalidates Node's own signature, so the darwin binaries get an
 * ad-hoc one here (no identity, no certificate: a CodeDirectory of SHA-256 page hashes, an
 * empty requirement set and an empty CMS blob, as codesign and ldid write them).
 *
 * Format: Apple's xnu osfmk/kern/cs_blobs.h (CS_SuperBlob, CS_CodeDirectory version 0x20400).
 * The existing LC_CODE_SIGNATURE load command and its space at the end of __LINKEDIT are reused;
 * the file is truncated after the new signature.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

const MH_MAGIC_64 = 0xfeedfacf;
const LC_SEGMENT_64 = 0x19;
const LC_CODE_SIGNATURE = 0x1d;
const CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0;
const CSMAGIC_CODEDIRECTORY = 0xfade0c02;
const CSMAGIC_REQUIREMENTS = 0xfade0c01;
const CSMAGIC_BLOBWRAPPER = 0xfade0b01;
const CSSLOT_CODEDIRECTORY = 0;
const CSSLOT_REQUIREMENTS = 2;
const CSSLOT_SIGNATURESLOT = 0x10000;
const CS_ADHOC = 0x2;
const CS_HASHTYPE_SHA256 = 2;
const CS_EXECSEG_MAIN_BINARY = 0x1;
const MH_EXECUTE = 0x2;
const pageShift = 12;
const pageSize = 1 << pageShift;
const hashSize = 32;

interface Segment {
  offset: number;
  name: string;
  fileoff: number;
  filesize: number;
  vmsize: number;
}

/** MachOLayout is what signing needs from a thin 64-bit Mach-O's load commands. */
export interface MachOLayout {
  readonly filetype: number;
  readonly text: Segment;
  readonly linkedit: Segment;
  /** Offset of the LC_CODE_SIGNATURE load command, and its dataoff/datasize. */
  readonly codeSignature: { offset: number; dataoff: number; datasize: number };
}

/**
 * addCodeSignatureCommand appends an LC_CODE_SIGNATURE load command pointing at the 16-byte
 * aligned end of the file, when the binary has none: postject (LIEF) drops Node's signature and
 * its load command when it adds the NODE_SEA segment. The header's padding before the first
 * section must have room for the 16 bytes (Node's binaries have kilobytes).
 */
export function addCodeSignatureCommand(file: Buffer): Buffer {
  if (file.length < 32 || file.readUInt32LE(0) !== MH_MAGIC_64) throw new Error('not a thin 64-bit little-endian Mach-O');
  const ncmds = file.readUInt32LE(16);
  const sizeofcmds = file.readUInt32LE(20);
  let at = 32;
  let firstSection = file.length;
  for (let i = 0; i < ncmds; i++) {
    const cmd = file.readUInt32LE(at);
    if (cmd === LC_CODE_SIGNATURE) return file;
    if (cmd === LC_SEGMENT_64) {
      const nsects = file.readUInt32LE(at + 64);
      for (let j = 0; j < nsects; j++) {
        const offset = file.readUInt32LE(at + 72 + j * 80 + 48);
        if (offset > 0) firstSection = Math.min(firstSection, offset);
      }
    }
    at += file.readUInt32LE(at + 4);
  }
  const end = 32 + sizeofcmds;
  if (end + 16 > firstSection) throw new Error('no room in the Mach-O header for a code-signature load command');
  const dataoff = Math.ceil(file.length / 16) * 16;
  const out = Buffer.concat([file, Buffer.alloc(dataoff - file.length)]);
  out.writeUInt32LE(LC_CODE_SIGNATURE, end);
  out.writeUInt32LE(16, end + 4);
  out.writeUInt32LE(dataoff, end + 8);
  out.writeUInt32LE(0, end + 12);
  out.writeUInt32LE(ncmds + 1, 16);
  out.writeUInt32LE(sizeofcmds + 16, 20);
  return out;
}

/** readLayout parses the load commands; throws one line for anything but a thin 64-bit little-endian Mach-O with a code-signature command. */
export function readLayout(file: Buffer): MachOLayout {
  if (file.length < 32 || file.readUInt32LE(0) !== MH_MAGIC_64) throw new Error('not a thin 64-bit little-endian Mach-O');
  const filetype = file.readUInt32LE(12);
  const ncmds = file.readUInt32LE(16);
  let at = 32;
  const segments: Segment[] = [];
  let codeSignature: MachOLayout['codeSignature'] | undefined;
  for (let i = 0; i < ncmds; i++) {
    const cmd = file.readUInt32LE(at);
    const cmdsize = file.readUInt32LE(at + 4);
    if (cmd === LC_SEGMENT_64) {
      const name = file.toString('latin1', at + 8, at + 24).replace(/\0.*$/, '');
      segments.push({
        offset: at,
        name,
        vmsize: Number(file.readBigUInt64LE(at + 32)),
        fileoff: Number(file.readBigUInt64LE(at + 40)),
        filesize: Number(file.readBigUInt64LE(at + 48)),
      });
    } else if (cmd === LC_CODE_SIGNATURE) {
      codeSignature = { offset: at, dataoff: file.readUInt32LE(at + 8), datasize: file.readUInt32LE(at + 12) };
    }
    at += cmdsize;
  }
  const text = segments.find((s) => s.name === '__TEXT');
  const linkedit = segments.find((s) => s.name === '__LINKEDIT');
  if (!text || !linkedit) throw new Error('Mach-O without __TEXT or __LINKEDIT segment');
  if (!codeSignature) throw new Error('Mach-O without LC_CODE_SIGNATURE (see addCodeSignatureCommand)');
  if (codeSignature.dataoff < linkedit.fileoff || codeSignature.dataoff > linkedit.fileoff + linkedit.filesize + 15)
    throw new Error('the code signature is not at the end of __LINKEDIT');
  return { filetype, text, linkedit, codeSignature };
}

function blob(magic: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(magic, 0);
  header.writeUInt32BE(8 + payload.length, 4);
  return Buffer.concat([header, payload]);
}

/**
 * adHocSign rewrites file (a darwin SEA binary) with an ad-hoc signature whose identifier is
 * `identifier` (codesign uses the file name).
 */
export function adHocSign(path: string, identifier: string): void {
  let file = addCodeSignatureCommand(readFileSync(path));
  const layout = readLayout(file);
  const codeLimit = layout.codeSignature.dataoff;
  const nCodeSlots = Math.ceil(codeLimit / pageSize);
  const requirements = blob(CSMAGIC_REQUIREMENTS, Buffer.alloc(4)); // count 0: no requirements
  const cms = blob(CSMAGIC_BLOBWRAPPER, Buffer.alloc(0)); // ad-hoc: an empty CMS signature
  const ident = Buffer.from(`${identifier}\0`, 'utf8');
  const nSpecialSlots = 2; // -1 Info.plist (none: zeros), -2 requirements
  const cdHeaderSize = 88;
  const identOffset = cdHeaderSize;
  const hashOffset = identOffset + ident.length + nSpecialSlots * hashSize;
  const cdLength = hashOffset + nCodeSlots * hashSize;
  const superHeaderSize = 12 + 3 * 8;
  const sigLength = superHeaderSize + cdLength + requirements.length + cms.length;
  const datasize = Math.ceil(sigLength / 16) * 16;

  // Headers first: the first page hash covers the load commands with their final sizes.
  file = Buffer.concat([file.subarray(0, codeLimit), Buffer.alloc(datasize)]);
  file.writeUInt32LE(datasize, layout.codeSignature.offset + 12);
  const linkeditFilesize = codeLimit + datasize - layout.linkedit.fileoff;
  file.writeBigUInt64LE(BigInt(linkeditFilesize), layout.linkedit.offset + 48);
  const vmPage = 0x4000;
  file.writeBigUInt64LE(
    BigInt(Math.max(layout.linkedit.vmsize, Math.ceil(linkeditFilesize / vmPage) * vmPage)),
    layout.linkedit.offset + 32,
  );

  const cd = Buffer.alloc(cdLength);
  cd.writeUInt32BE(CSMAGIC_CODEDIRECTORY, 0);
  cd.writeUInt32BE(cdLength, 4);
  cd.writeUInt32BE(0x20400, 8); // version: with execSeg fields
  cd.writeUInt32BE(CS_ADHOC, 12);
  cd.writeUInt32BE(hashOffset, 16);
  cd.writeUInt32BE(identOffset, 20);
  cd.writeUInt32BE(nSpecialSlots, 24);
  cd.writeUInt32BE(nCodeSlots, 28);
  cd.writeUInt32BE(codeLimit, 32);
  cd.writeUInt8(hashSize, 36);
  cd.writeUInt8(CS_HASHTYPE_SHA256, 37);
  cd.writeUInt8(0, 38); // platform
  cd.writeUInt8(pageShift, 39);
  // 40 spare2, 44 scatterOffset, 48 teamOffset, 52 spare3, 56 codeLimit64: all 0
  cd.writeBigUInt64BE(BigInt(layout.text.fileoff), 64); // execSegBase
  cd.writeBigUInt64BE(BigInt(layout.text.filesize), 72); // execSegLimit
  cd.writeBigUInt64BE(BigInt(layout.filetype === MH_EXECUTE ? CS_EXECSEG_MAIN_BINARY : 0), 80);
  ident.copy(cd, identOffset);
  createHash('sha256')
    .update(requirements)
    .digest()
    .copy(cd, hashOffset - 2 * hashSize); // slot -2
  for (let i = 0; i < nCodeSlots; i++) {
    const page = file.subarray(i * pageSize, Math.min((i + 1) * pageSize, codeLimit));
    createHash('sha256')
      .update(page)
      .digest()
      .copy(cd, hashOffset + i * hashSize);
  }

  const superBlob = Buffer.alloc(superHeaderSize);
  superBlob.writeUInt32BE(CSMAGIC_EMBEDDED_SIGNATURE, 0);
  superBlob.writeUInt32BE(sigLength, 4);
  superBlob.writeUInt32BE(3, 8);
  const slots: Array<[number, number]> = [
    [CSSLOT_CODEDIRECTORY, superHeaderSize],
    [CSSLOT_REQUIREMENTS, superHeaderSize + cd.length],
    [CSSLOT_SIGNATURESLOT, superHeaderSize + cd.length + requirements.length],
  ];
  slots.forEach(([type, offset], i) => {
    superBlob.writeUInt32BE(type, 12 + i * 8);
    superBlob.writeUInt32BE(offset, 16 + i * 8);
  });
  Buffer.concat([superBlob, cd, requirements, cms]).copy(file, codeLimit);
  writeFileSync(path, file);
}

/**
 * checkAdHocSignature re-reads a signed file and returns what is wrong with its signature
 * (empty when every page hash, the requirements hash and the blob layout agree): the same
 * checks the kernel makes on the code it maps, short of running it.
 */
export function checkAdHocSignature(path: string): string[] {
  const file = readFileSync(path);
  const problems: string[] = [];
  const layout = readLayout(file);
  const { dataoff, datasize } = layout.codeSignature;
  if (dataoff + datasize !== file.length) problems.push(`signature ends at ${dataoff + datasize}, file at ${file.length}`);
  if (layout.linkedit.fileoff + layout.linkedit.filesize !== file.length) problems.push('__LINKEDIT does not end at the end of the file');
  const sig = file.subarray(dataoff, dataoff + datasize);
  if (sig.readUInt32BE(0) !== CSMAGIC_EMBEDDED_SIGNATURE) return [...problems, 'no embedded-signature superblob'];
  const count = sig.readUInt32BE(8);
  let cdOffset = -1;
  let reqOffset = -1;
  for (let i = 0; i < count; i++) {
    const type = sig.readUInt32BE(12 + i * 8);
    const offset = sig.readUInt32BE(16 + i * 8);
    if (type === CSSLOT_CODEDIRECTORY) cdOffset = offset;
    if (type === CSSLOT_REQUIREMENTS) reqOffset = offset;
  }
  if (cdOffset < 0) return [...problems, 'no code directory'];
  const cd = sig.subarray(cdOffset, cdOffset + sig.readUInt32BE(cdOffset + 4));
  if (cd.readUInt32BE(0) !== CSMAGIC_CODEDIRECTORY) problems.push('bad code directory magic');
  if ((cd.readUInt32BE(12) & CS_ADHOC) === 0) problems.push('not flagged ad-hoc');
  const hashOffset = cd.readUInt32BE(16);
  const nCodeSlots = cd.readUInt32BE(28);
  const codeLimit = cd.readUInt32BE(32);
  if (codeLimit !== dataoff) problems.push(`codeLimit ${codeLimit} is not the signature offset ${dataoff}`);
  if (cd.readUInt8(37) !== CS_HASHTYPE_SHA256 || cd.readUInt8(36) !== hashSize) problems.push('not SHA-256');
  const shift = cd.readUInt8(39);
  if (nCodeSlots !== Math.ceil(codeLimit / (1 << shift))) problems.push('page count does not cover the code');
  for (let i = 0; i < nCodeSlots; i++) {
    const page = file.subarray(i << shift, Math.min((i + 1) << shift, codeLimit));
    const want = createHash('sha256').update(page).digest();
    if (!want.equals(cd.subarray(hashOffset + i * hashSize, hashOffset + (i + 1) * hashSize))) {
      problems.push(`page ${i} hash does not match`);
      break;
    }
  }
  if (reqOffset >= 0) {
    const req = sig.subarray(reqOffset, reqOffset + sig.readUInt32BE(reqOffset + 4));
    if (
      !createHash('sha256')
        .update(req)
        .digest()
        .equals(cd.subarray(hashOffset - 2 * hashSize, hashOffset - hashSize))
    )
      problems.push('requirements hash does not match');
  }
  return problems;
}
