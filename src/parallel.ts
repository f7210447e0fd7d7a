/**
 * Lints many files on several threads. Files go to workers in small batches as each
 * worker frees up (so one huge file does not hold back the rest), and results come back
 * in the order of the files, so the output does not depend on scheduling.
 */
import { availableParallelism } from 'node:os';
import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { defaultEngineOptions, type EngineOptions } from './engine.js';
import { StaticPodMatcher } from './static-pods.js';
import type { LintResult } from './types.js';

/** EngineOptions as plain data, to cross into a worker thread. */
export interface EngineSpec {
  kubeVersion: EngineOptions['kubeVersion'];
  staticPods: { globs: readonly string[]; cwd: string };
  rules: EngineOptions['rules'];
  ruleOptions: EngineOptions['ruleOptions'];
  fullParse?: boolean;
}

export function toSpec(options: EngineOptions): EngineSpec {
  return {
    kubeVersion: options.kubeVersion,
    staticPods: { globs: options.staticPods.globs, cwd: options.staticPods.cwd },
    rules: options.rules,
    ruleOptions: options.ruleOptions,
    ...(options.fullParse ? { fullParse: true } : {}),
  };
}

export function fromSpec(spec: EngineSpec): EngineOptions {
  return defaultEngineOptions({
    kubeVersion: spec.kubeVersion,
    staticPods: new StaticPodMatcher(spec.staticPods.globs, spec.staticPods.cwd),
    rules: spec.rules,
    ruleOptions: spec.ruleOptions,
    ...(spec.fullParse ? { fullParse: true } : {}),
  });
}

/** Below this much input, starting threads (and warming each one up) costs more than it saves (measured: 24 MB). */
const PARALLEL_MIN_BYTES = 24 * 1024 * 1024;
const PARALLEL_MIN_FILES = 16;
const BATCH_FILES = 16;

/** How many worker threads to use for these files: 0 means lint on the main thread. */
export function workerCount(files: readonly string[]): number {
  const forced = process.env.KUBELINT_WORKERS;
  if (forced !== undefined && /^\d+$/.test(forced)) return Math.min(Number(forced), files.length);
  const cores = availableParallelism();
  if (cores < 2 || files.length < PARALLEL_MIN_FILES) return 0;
  let bytes = 0;
  for (const file of files) {
    try {
      bytes += statSync(file).size;
    } catch {
      // unreadable: reported when linted
    }
    if (bytes >= PARALLEL_MIN_BYTES) return Math.min(cores, 8);
  }
  return 0;
}

export async function lintInWorkers(files: readonly string[], options: EngineOptions, workers: number): Promise<LintResult[]> {
  const spec = toSpec(options);
  const results: LintResult[] = new Array(files.length);
  let next = 0;
  const run = (worker: Worker) =>
    new Promise<void>((resolve, reject) => {
      const sendBatch = () => {
        if (next >= files.length) {
          resolve();
          return;
        }
        const start = next;
        next = Math.min(files.length, next + BATCH_FILES);
        worker.postMessage({ start, files: files.slice(start, next) });
      };
      worker.on('message', (message: { start: number; results: LintResult[] }) => {
        message.results.forEach((result, i) => (results[message.start + i] = result));
        sendBatch();
      });
      worker.on('error', reject);
      worker.on('exit', (code) => {
        if (next < files.length || code !== 0) reject(new Error(`a lint worker stopped (exit code ${code})`));
      });
      sendBatch();
    });
  const pool = Array.from({ length: workers }, () => new Worker(new URL('./worker.js', import.meta.url), { workerData: spec }));
  try {
    await Promise.all(pool.map(run));
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
  return results;
}
