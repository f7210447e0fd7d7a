/**
 * Temporary directories for tests, all removed when the test file's process exits (pass or
 * fail), so a test run leaves nothing behind in /tmp.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const created: string[] = [];

/** A new empty directory named PREFIXxxxxxx under `base` (default: the system's temporary directory). */
export function tempDir(prefix: string, base: string = tmpdir()): string {
  const dir = mkdtempSync(path.join(base, prefix));
  created.push(dir);
  return dir;
}

/** Gives back the owner's permissions a test took away (chmod 000), so the tree can be removed. */
function makeWritable(dir: string): void {
  try {
    chmodSync(dir, 0o700);
    for (const name of readdirSync(dir)) {
      const entry = path.join(dir, name);
      if (statSync(entry, { throwIfNoEntry: false })?.isDirectory()) makeWritable(entry);
    }
  } catch {
    // a link loop or a vanished entry: rmSync below does what it can
  }
}

export function removeTempDirs(): void {
  for (const dir of created.splice(0)) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      makeWritable(dir);
      rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
    }
  }
}

process.on('exit', removeTempDirs);

/** Writes `files` (relative path → content) under `dir`, making the directories they need. */
export function writeTree(dir: string, files: Readonly<Record<string, string | Uint8Array>>): void {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
}
