/**
 * The pure parts of scripts/bench.ts (settings, parsing the tools' reports, medians, when a
 * kubeconform figure is trusted), apart so that test/bench-lib.test.ts can check them
 * without running a benchmark.
 */

export const CASES = ['workloads-10k', 'corpus-10k', 'stream', 'workloads-100k', 'repeat-10k', 'cold-start'] as const;
export type CaseName = (typeof CASES)[number];

/** A mistake in the bench's environment knobs: one line on stderr, exit 2. */
export class UsageError extends Error {}

export interface Settings {
  runs: number;
  only: CaseName[];
}

/** BENCH_RUNS (default 5) and BENCH_ONLY=name[,name]; `--quick` is one run, without 100k. */
export function parseSettings(env: Record<string, string | undefined>, argv: readonly string[]): Settings {
  const quick = argv.includes('--quick');
  const runsText = env.BENCH_RUNS;
  const runs = runsText === undefined || runsText.trim() === '' ? (quick ? 1 : 5) : Number(runsText);
  if (!Number.isInteger(runs) || runs < 1) throw new UsageError(`BENCH_RUNS=${runsText}: expected a whole number of runs, 1 or more`);
  const onlyText = env.BENCH_ONLY;
  if (onlyText === undefined || onlyText.trim() === '') {
    return { runs, only: CASES.filter((name) => !quick || name !== 'workloads-100k') };
  }
  const names = onlyText.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !(CASES as readonly string[]).includes(name));
  if (unknown.length > 0) throw new UsageError(`BENCH_ONLY: unknown case ${unknown.join(', ')}; the cases are ${CASES.join(', ')}`);
  // Always in the bench's own order, whatever order they were named in.
  return { runs, only: CASES.filter((name) => names.includes(name)) };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Reads what `/usr/bin/time -f '%U %S %M'` wrote: user and system seconds and peak RSS in
 * KB, on the last line (GNU time puts "Command exited with non-zero status N" before it).
 */
export function parseGnuTime(text: string): { cpuSeconds: number; peakMb: number } | undefined {
  const fields = text.trim().split('\n').at(-1)?.trim().split(/\s+/).map(Number) ?? [];
  if (fields.length !== 3 || !fields.every(Number.isFinite)) return undefined;
  return { cpuSeconds: fields[0]! + fields[1]!, peakMb: fields[2]! / 1024 };
}

export interface Summary {
  resources: number;
  files: number;
  valid: number;
  invalid: number;
  errors: number;
  skipped: number;
  /** Errors that are a missing schema: kubeconform did not validate those documents. */
  noSchema: number;
}

/** kubeconform's `-summary` line and its missing-schema errors; undefined when there is none. */
export function parseSummary(stdout: string): Summary | undefined {
  const match = /^Summary: (\d+) resources? found in (\d+) files? - Valid: (\d+), Invalid: (\d+), Errors: (\d+), Skipped: (\d+)$/m.exec(stdout);
  if (!match) return undefined;
  const [resources, files, valid, invalid, errors, skipped] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const noSchema = stdout.match(/ failed validation: could not find schema for /g)?.length ?? 0;
  return { resources, files, valid, invalid, errors, skipped, noSchema };
}

export interface Verdict {
  /** Why kubeconform's figures are not compared; undefined when they are trusted. */
  distrust?: string;
  /** Set when kubeconform had no schema for a sizeable share of resources: its ratio gets a mark. */
  lessWork?: boolean;
  notes: string[];
}

/** Above this share of resources without a schema, the ratio compares unequal work. */
export const NO_SCHEMA_MARK = 0.05;

/**
 * Whether kubeconform measured the same work: a run that skipped resources, or validated
 * none (a wrong schema location makes every resource an error), measures nothing.
 */
export function judge(label: string, documents: number, files: number, summaries: readonly Summary[]): Verdict {
  const summary = summaries[0];
  if (!summary) return { distrust: 'kubeconform did not run', notes: [] };
  const notes = [
    `${label}: kubeconform summary: ${summary.resources} resources in ${summary.files} files - Valid: ${summary.valid}, Invalid: ${summary.invalid}, Errors: ${summary.errors}, Skipped: ${summary.skipped}` +
      ` (the bench built ${documents} documents in ${files} files)`,
  ];
  const skipped = Math.max(...summaries.map((each) => each.skipped));
  const validated = Math.min(...summaries.map((each) => each.valid + each.invalid));
  let distrust: string | undefined;
  if (skipped > 0) distrust = `kubeconform skipped ${skipped} resources`;
  else if (validated === 0) distrust = 'kubeconform validated nothing';
  if (distrust) notes.push(`WARNING ${label}: ${distrust}; its figures do not measure the same work, so no ratio is given`);
  const lessWork = summary.resources > 0 && summary.noSchema / summary.resources > NO_SCHEMA_MARK;
  if (summary.noSchema > 0) {
    const share = Math.round((100 * summary.noSchema) / summary.resources);
    notes.push(
      `note ${label}${lessWork ? ' (the * ratios)' : ''}: kubeconform found no schema for ${summary.noSchema} of ${summary.resources} resources` +
        ` (${share}%, counted as Errors, not validated), so it did ${lessWork ? 'much ' : ''}less work than kubelint on this case`,
    );
  }
  return { distrust, lessWork, notes };
}

/** Which cache options `kubelint --help` offers (`--cache-location` alone is not `--cache`). */
export function cacheOptions(help: string): { cache: boolean; cacheLocation: boolean } {
  return { cache: /(?<![\w-])--cache(?![\w-])/.test(help), cacheLocation: /(?<![\w-])--cache-location(?![\w-])/.test(help) };
}

/** kubelint / kubeconform, or why there is none. */
export function ratio(ours: number | undefined, theirs: number | undefined, distrust: string | undefined, lessWork = false): string {
  if (distrust) return 'untrusted';
  if (ours === undefined || theirs === undefined || theirs <= 0) return 'n/a';
  return `${(ours / theirs).toFixed(2)}${lessWork ? ' *' : ''}`;
}
