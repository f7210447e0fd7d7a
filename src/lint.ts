/**
 * Discover files -> read -> lint each: the whole path of a run, shared by the CLI and the
 * library API. Reading is careful: it never follows a file past the kubelet's 10 MB cap,
 * and a binary or non-UTF-8 file becomes a finding, not a crash.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { discoverFiles, type DiscoverOptions } from './discover.js';
import { lintText, summarize, type EngineOptions } from './engine.js';
import { lintInWorkers, workerCount } from './parallel.js';
import type { LintResult } from './types.js';

/** The kubelet refuses static pod files over 10 MB; kubelint reads no manifest larger. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export type ReadOutcome = { text: string } | { problem: string };

/** Reads a manifest as UTF-8 text, refusing huge, binary and undecodable files. */
export function readManifest(filePath: string): ReadOutcome {
  let fd: number | undefined;
  try {
    // Non-blocking, so that opening a FIFO does not wait for a writer; one fstat tells the rest.
    fd = openSync(filePath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const stats = fstatSync(fd);
    if (!stats.isFile()) return { problem: 'not a regular file (a FIFO, socket or device), so it was not read' };
    const size = stats.size;
    if (size > MAX_FILE_BYTES) {
      return {
        problem: `file is ${(size / 1024 / 1024).toFixed(1)} MB, over the 10 MB the kubelet and kubelint read; it was not parsed. Split it into smaller files`,
      };
    }
    const buffer = Buffer.alloc(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buffer, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return decodeManifest(buffer.subarray(0, read));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    return { problem: `cannot read the file: ${reason}` };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function decodeManifest(buffer: Uint8Array): ReadOutcome {
  if (buffer.includes(0)) return { problem: 'file is binary (it contains NUL bytes), not a YAML or JSON manifest' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buffer) };
  } catch {
    return { problem: 'file is not valid UTF-8: Kubernetes manifests must be UTF-8 text. Re-save it as UTF-8' };
  }
}

/** A file that could not be read becomes one fatal finding at 1:1, like ESLint's parse errors. */
export function unreadableResult(filePath: string, problem: string): LintResult {
  return summarize({
    filePath,
    messages: [
      { ruleId: 'yaml-syntax', severity: 2, fatal: true, message: `${problem}.`, line: 1, column: 1, endLine: 1, endColumn: 1 },
    ],
    suppressedMessages: [],
    source: '',
  });
}

export function lintFile(filePath: string, options: EngineOptions): LintResult {
  const outcome = readManifest(filePath);
  if ('problem' in outcome) return unreadableResult(filePath, outcome.problem);
  return lintText(outcome.text, filePath, options);
}

export async function lintPaths(
  paths: readonly string[],
  engine: EngineOptions,
  options: DiscoverOptions,
): Promise<LintResult[]> {
  const files = await discoverFiles(paths, options);
  const workers = workerCount(files);
  if (workers > 0) return lintInWorkers(files, engine, workers);
  return files.map((file) => lintFile(file, engine));
}
