/**
 * Reads a zip file (a .vsix is one) with Node alone: its central directory, and any entry's
 * bytes (stored or deflated). Enough for checking what a package holds; no zip64.
 */
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localHeader: number;
}

export class Zip {
  readonly entries = new Map<string, ZipEntry>();
  private readonly bytes: Buffer;

  constructor(file: string) {
    this.bytes = readFileSync(file);
    const bytes = this.bytes;
    // The end of central directory record: the last PK\5\6 (a comment may follow it).
    let end = bytes.length - 22;
    while (end >= 0 && bytes.readUInt32LE(end) !== 0x06054b50) end--;
    if (end < 0) throw new Error(`${file} is not a zip file`);
    const count = bytes.readUInt16LE(end + 10);
    let at = bytes.readUInt32LE(end + 16);
    for (let i = 0; i < count; i++) {
      if (bytes.readUInt32LE(at) !== 0x02014b50) throw new Error(`${file}: a broken central directory`);
      const nameLength = bytes.readUInt16LE(at + 28);
      const name = bytes.subarray(at + 46, at + 46 + nameLength).toString('utf8');
      this.entries.set(name, {
        name,
        method: bytes.readUInt16LE(at + 10),
        compressedSize: bytes.readUInt32LE(at + 20),
        size: bytes.readUInt32LE(at + 24),
        localHeader: bytes.readUInt32LE(at + 42),
      });
      at += 46 + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    }
  }

  read(name: string): Buffer {
    const entry = this.entries.get(name);
    if (!entry) throw new Error(`no ${name} in the zip`);
    const header = entry.localHeader;
    const start = header + 30 + this.bytes.readUInt16LE(header + 26) + this.bytes.readUInt16LE(header + 28);
    const data = this.bytes.subarray(start, start + entry.compressedSize);
    if (entry.method === 0) return Buffer.from(data);
    if (entry.method === 8) return inflateRawSync(data);
    throw new Error(`${name}: compression method ${entry.method} is not read here`);
  }
}
