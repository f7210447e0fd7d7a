/** Reading an open file whole, shared by the manifest reader and the cache's content hash. */
import { readSync } from 'node:fs';

/** The bytes of an open file of `size` bytes (from fstat); a file that grows meanwhile is not followed. */
export function readBytes(fd: number, size: number): Buffer {
  const buffer = Buffer.alloc(size);
  let read = 0;
  while (read < size) {
    const n = readSync(fd, buffer, read, size - read, null);
    if (n === 0) break;
    read += n;
  }
  return buffer.subarray(0, read);
}
