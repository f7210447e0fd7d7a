/**
 * A lint worker thread: lints the batches of files it is sent, with the run's options.
 * It says which file it starts before linting it, so that if the thread dies (out of
 * memory, a crash) the pool knows which file cost it, and posts each result on its own.
 */
import { basename } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { lintFile } from './run.js';
import { fromSpec, type EngineSpec, type WorkerMessage } from './parallel.js';
import { rules as builtInRules } from '../../rules/index.js';

const spec = workerData as EngineSpec;
const options = await fromSpec(spec, builtInRules);
/** Test-only: the worker crashes on a file of this name, to prove the pool survives it. */
const crashOn = process.env.KUBELINT_TEST_WORKER_CRASH_ON;
parentPort!.on('message', (message: { files: Array<{ index: number; file: string }> }) => {
  for (const { index, file } of message.files) {
    parentPort!.postMessage({ started: index } satisfies WorkerMessage);
    if (crashOn && basename(file) === crashOn) throw new Error('test crash');
    parentPort!.postMessage({ index, result: lintFile(file, options, spec.cacheMeta) } satisfies WorkerMessage);
  }
});
