/**
 * Runs the CLI in this process and reports its peak memory (worker threads included) on
 * stderr as the last line, for scripts/bench.ts.
 */
import { main } from '../src/cli.js';

const code = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin: () => '',
  cwd: process.cwd(),
});
process.stderr.write(`\n${JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, code })}\n`);
process.exitCode = code;
