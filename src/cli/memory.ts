/**
 * Imported first by the `kubelint` executable: V8's defaults let a heap grow to several
 * times its live data between full collections. None of these flags is a cap: a heap still
 * grows as far as a run needs, so no input can make kubelint run out of memory sooner.
 *
 * - The old generation is collected when it grows 20% past what survived the last collection.
 * - Worker threads get fixed semi-spaces of 4 MB (V8's default grows them to 16 MB): swept
 *   more often, they hold less garbage. Their heaps are made after this runs, so these reach them.
 * - This thread's young generation was sized when the process started, before this runs; what
 *   can still be set is whether it grows. While workers lint, it stays at its first size
 *   (semi-spaces of 1 MB): it only gathers their results, and grown to 16 MB by the directory
 *   walk and the results it held 34 MB all run long (100k documents: 186 MB peak against
 *   210 MB, in the same time). When this thread lints itself, it grows as V8 likes: 16 MB
 *   semi-spaces are faster there (workloads-10k: 4.5 s against 4.9 s at 4 MB).
 *
 * Starting a worker thread puts the growth factor back to V8's default (seen with Node.js
 * 20), so the CLI sets the flags again each time one comes online (CliIo.tuneMemory).
 * A user's own semi-space or --heap-growing-percent flags (node ... kubelint, NODE_OPTIONS) win.
 */
import { setFlagsFromString } from 'node:v8';

// NODE_OPTIONS too: process.execArgv does not show what it gave.
const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ');
const userSizesYoungGeneration = given.includes('semi-space');
const userSizesOldGeneration = given.includes('heap-growing-percent');

/** Sets kubelint's V8 flags for where files are linted now: on this thread, or on workers. */
export function tuneMemory(linting: 'here' | 'on workers'): void {
  if (!userSizesYoungGeneration) {
    setFlagsFromString('--min-semi-space-size=4');
    setFlagsFromString('--max-semi-space-size=4');
    setFlagsFromString(`--semi-space-growth-factor=${linting === 'here' ? 2 : 1}`);
  }
  if (!userSizesOldGeneration) setFlagsFromString('--heap-growing-percent=20');
}

// Until a run says otherwise: discovery, and a cached run, lint nothing here.
tuneMemory('on workers');
