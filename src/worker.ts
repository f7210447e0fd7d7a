/** A lint worker thread: lints the batches of files it is sent, with the run's options. */
import { parentPort, workerData } from 'node:worker_threads';
import { lintFile } from './lint.js';
import { fromSpec, type EngineSpec } from './parallel.js';

const options = fromSpec(workerData as EngineSpec);
parentPort!.on('message', (message: { start: number; files: string[] }) => {
  parentPort!.postMessage({ start: message.start, results: message.files.map((file) => lintFile(file, options)) });
});
