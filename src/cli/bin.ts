#!/usr/bin/env node
/** The `kubelint` executable: runs the CLI with the real process streams. */
// First: V8's memory settings, before the other modules allocate (see memory.ts).
import { tuneMemory } from './memory.js';
import { main } from './cli.js';
import { readStandardInput } from '../lint/run.js';

// `kubelint ... | head` closes the pipe early: stop quietly, as other command-line tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.stderr.write(`kubelint: ${error.message}\n`);
    process.exit(2);
  });
}

main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  // Read with the checks a file gets: size cap while streaming, NUL and UTF-8.
  readStdin: readStandardInput,
  cwd: process.cwd(),
  env: process.env,
  stdoutIsTTY: process.stdout.isTTY === true,
  stderrIsTTY: process.stderr.isTTY === true,
  tuneMemory,
  ...(process.stdout.columns ? { columns: process.stdout.columns } : {}),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`kubelint: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
