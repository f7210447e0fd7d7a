/**
 * Lints many files on several threads. Files go to workers in small batches as each
 * worker frees up (so one huge file does not hold back the rest), and results come back
 * in the order of the files, so the output does not depend on scheduling.
 */
import { availableParallelism } from 'node:os';
import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { defaultEngineOptions, summarize, type EngineOptions } from './engine.js';
import { StaticPodMatcher } from '../discover/static-pods.js';
import type { LintResult } from '../types.js';
import { ResultPool } from './result-pool.js';
import { loadRegistry, type RuleSource } from '../engine/registry.js';
import type { Rule } from '../engine/rule.js';

/** EngineOptions as plain data, to cross into a worker thread. */
export interface EngineSpec {
  kubeVersion: EngineOptions['kubeVersion'];
  staticPods: { globs: readonly string[]; cwd: string };
  rules: EngineOptions['rules'];
  ruleOptions: EngineOptions['ruleOptions'];
  fullParse?: boolean;
  /** Where the registry's rules come from: the worker imports the same modules. */
  ruleSources: readonly RuleSource[];
  skipNonManifests?: boolean;
  patchFiles?: string[];
  /** --cache: results carry the file's metadata (and with 'content', its hash). */
  cacheMeta?: 'metadata' | 'content';
  fixExclude?: readonly string[];
  sourcesOnDisk?: boolean;
}

export function toSpec(options: EngineOptions): EngineSpec {
  return {
    kubeVersion: options.kubeVersion,
    ruleSources: options.registry.sources,
    staticPods: { globs: options.staticPods.globs, cwd: options.staticPods.cwd },
    rules: options.rules,
    ruleOptions: options.ruleOptions,
    ...(options.fullParse ? { fullParse: true } : {}),
    ...(options.skipNonManifests ? { skipNonManifests: true } : {}),
    ...(options.patchFiles?.size ? { patchFiles: [...options.patchFiles] } : {}),
    ...(options.fixExclude?.length ? { fixExclude: options.fixExclude } : {}),
    ...(options.sourcesOnDisk ? { sourcesOnDisk: true } : {}),
  };
}

/** The run's options in a worker; `builtInRules`, the built-in rules the worker has loaded. */
export async function fromSpec(spec: EngineSpec, builtInRules?: readonly Rule[]): Promise<EngineOptions> {
  return defaultEngineOptions({
    registry: await loadRegistry(spec.ruleSources, builtInRules),
    kubeVersion: spec.kubeVersion,
    staticPods: new StaticPodMatcher(spec.staticPods.globs, spec.staticPods.cwd),
    rules: spec.rules,
    ruleOptions: spec.ruleOptions,
    ...(spec.fullParse ? { fullParse: true } : {}),
    ...(spec.skipNonManifests ? { skipNonManifests: true } : {}),
    ...(spec.patchFiles ? { patchFiles: new Set(spec.patchFiles) } : {}),
    ...(spec.fixExclude ? { fixExclude: spec.fixExclude } : {}),
    ...(spec.sourcesOnDisk ? { sourcesOnDisk: true } : {}),
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

/** What a worker posts: that it starts a file, or that file's result. */
export type WorkerMessage = { started: number } | { index: number; result: LintResult };

export interface ParallelOptions {
  onFileDone?: (done: number, total: number, objects: number) => void;
  /** Called as each worker thread comes online. */
  onWorkerOnline?: () => void;
  /** --cache: results carry the file's metadata (and with 'content', its hash). */
  cacheMeta?: 'metadata' | 'content';
}

/**
 * Lints the files on `workers` threads. A worker that dies (out of memory, a crash) costs
 * only the file it was linting: that file gets one finding, the rest of its batch goes
 * back in the queue, and a new worker takes its place.
 */
export async function lintInWorkers(
  files: readonly string[],
  options: EngineOptions,
  workers: number,
  { onFileDone, onWorkerOnline, cacheMeta }: ParallelOptions = {},
): Promise<LintResult[]> {
  let done = 0;
  const spec: EngineSpec = { ...toSpec(options), ...(cacheMeta ? { cacheMeta } : {}) };
  const results: Array<LintResult | undefined> = new Array(files.length);
  const pool = new ResultPool();
  /** Files to lint again first: the unfinished rest of a dead worker's batch. */
  const retry: number[] = [];
  let next = 0;
  const takeBatch = (): number[] => {
    const batch = retry.splice(0, BATCH_FILES);
    while (batch.length < BATCH_FILES && next < files.length) batch.push(next++);
    return batch;
  };
  const live = new Set<Worker>();
  /** One thread's life: batches until the queue is empty; resolves with whether to start another. */
  const runWorker = () =>
    new Promise<boolean>((resolve) => {
      const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: spec });
      live.add(worker);
      if (onWorkerOnline) worker.on('online', onWorkerOnline);
      let batch: number[] = [];
      let current: number | undefined;
      let failure = '';
      const sendBatch = () => {
        batch = takeBatch();
        if (batch.length === 0) {
          resolve(false);
          return;
        }
        worker.postMessage({ files: batch.map((index) => ({ index, file: files[index]! })) });
      };
      worker.on('message', (message: WorkerMessage) => {
        if ('started' in message) {
          current = message.started;
          return;
        }
        pool.result(message.result, files[message.index]!);
        results[message.index] = message.result;
        onFileDone?.(++done, files.length, message.result.objects ?? 0);
        current = undefined;
        batch = batch.filter((index) => index !== message.index);
        if (batch.length === 0) sendBatch();
      });
      worker.on('error', (error: Error & { code?: string }) => {
        failure = error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'it ran out of memory' : 'it crashed';
      });
      worker.on('exit', (code) => {
        live.delete(worker);
        const unfinished = batch.filter((index) => results[index] === undefined);
        if (unfinished.length === 0 && code === 0 && !failure) {
          resolve(false);
          return;
        }
        // The file being linted is what killed the worker; the others of its batch are retried.
        const culprit = current ?? unfinished[0];
        if (culprit !== undefined && results[culprit] === undefined) {
          results[culprit] = workerFailureResult(files[culprit]!, failure || `it stopped (exit code ${code})`);
        }
        retry.unshift(...unfinished.filter((index) => index !== culprit));
        resolve(retry.length > 0 || next < files.length);
      });
      sendBatch();
    });
  const lane = async () => {
    while (await runWorker()) {
      // a worker died with files left: start a new one
    }
  };
  try {
    await Promise.all(Array.from({ length: workers }, lane));
  } finally {
    await Promise.all([...live].map((worker) => worker.terminate()));
  }
  // Every file has a result: a lane stops only when the queue is empty and its batch done.
  return results.map((result, index) => result ?? workerFailureResult(files[index]!, 'it stopped'));
}

/** The finding for a file whose worker thread died while linting it: one error at 1:1. */
export function workerFailureResult(filePath: string, why: string): LintResult {
  return summarize({
    filePath,
    messages: [
      {
        ruleId: 'yaml-syntax',
        severity: 2,
        fatal: true,
        message: `kubelint could not lint this file: the thread linting it stopped (${why}). The other files were linted; check this one on its own, or split it.`,
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: 1,
      },
    ],
    suppressedMessages: [],
    source: '',
  });
}
