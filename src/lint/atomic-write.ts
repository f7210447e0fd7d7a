/**
 * The one way kubelint replaces a file (a fixed manifest, the cache, a report): the text
 * goes to a new file beside the target and is renamed over it, so readers never see half a
 * file and a symbolic link at the target is replaced, never followed ('wx' = O_CREAT |
 * O_EXCL, which refuses to open through a link).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

/** Writes `chunks` (one string or many, written as they come) to `target` atomically; `mode` is kept exactly (not narrowed by the umask). */
export function writeAtomically(target: string, chunks: string | Iterable<string>, mode?: number): void {
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.kubelint-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temporary, 'wx', mode ?? 0o666);
    for (const text of typeof chunks === 'string' ? [chunks] : chunks) writeSync(fd, text);
    closeSync(fd);
    fd = undefined;
    if (mode !== undefined) chmodSync(temporary, mode);
    renameSync(temporary, target);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temporary);
    } catch {
      // never created, or already renamed
    }
    throw error;
  }
}
