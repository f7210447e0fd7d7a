/**
 * Runs the CLI in this process and reports its peak memory and CPU time (worker threads
 * included) on stderr as the last line, for scripts/bench.ts when GNU time is not installed.
 */
import { main } from '../src/cli/cli.js';

const code = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin: () => '',
  cwd: process.cwd(),
});
const usage = process.resourceUsage();
process.stderr.write(`\n${JSON.stringify({ maxRssKb: usage.maxRSS, cpuMicros: usage.userCPUTime + usage.systemCPUTime, code })}\n`);
process.exitCode = code;
