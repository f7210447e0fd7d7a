/**
 * npm run bench: builds corpora from ../shared/corpus and measures the CLI as a user runs
 * it (a fresh process each time, schema validation and every rule on, JSON output), side by
 * side with kubeconform on the same inputs when a kubeconform build is available:
 *
 *   workloads-10k   the corpus without CustomResourceDefinitions (DaemonSets, static pods,
 *                   RBAC, ConfigMaps, Services...), repeated with varied names to 10,000+
 *                   documents
 *   corpus-10k      every corpus document, CRDs included, repeated to 10,000+ documents
 *   stream          one multi-document file of about 8 MB
 *   workloads-100k  the first mix to 100,000+ documents, for peak memory
 *   repeat-10k      the workloads-10k tree linted twice in a row (with --cache once kubelint
 *                   has it); the second run is reported on its own row
 *   cold-start      one small file, default output format
 *
 * Every figure is the median of BENCH_RUNS runs (default 5; cold start 2 x BENCH_RUNS + 1,
 * as it is short and noisy), kubelint and kubeconform alternating so that both see the same
 * machine state. Wall time is measured here; CPU time (user + system, worker threads and
 * goroutines included) and peak RSS come from GNU time (/usr/bin/time) around each process.
 *
 * Environment:
 *   BENCH_RUNS=N                 runs per figure (default 5)
 *   BENCH_ONLY=name[,name]       measure only these cases (names above)
 *   KUBECONFORM=path             the kubeconform binary (default ../shared/tools/kubeconform)
 *   KUBECONFORM_SCHEMAS=path     its schemas: a directory or a .tar.gz (default: the
 *                                schemas-*.tar.gz next to the binary)
 *   KUBELINT_CORPUS=dir          the corpus to build from (default ../shared/corpus)
 *   KUBELINT_BENCH_KEEP=1        keep the built corpora in the temp dir
 *
 * kubeconform's figures are trusted only when its summary line says nothing was skipped
 * and something was validated; otherwise the row says why and shows no ratio. A ratio
 * marked * compares unequal work: kubeconform had no schema for over 5% of the resources
 * (with the bundled 1.36 strict schemas, every CustomResourceDefinition), which it counts
 * as Errors without validating them. Never part of npm test.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheOptions, judge, median, parseGnuTime, parseSettings, parseSummary, ratio as ratioText, UsageError, type Summary, type Verdict } from './bench-lib.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHARED = path.resolve(ROOT, '..', 'shared');
const CORPUS = process.env.KUBELINT_CORPUS ?? path.join(SHARED, 'corpus');
const CHILD = path.join(ROOT, 'dist', 'scripts', 'bench-child.js');
/** The executable package.json names (the bundled CLI). */
const BIN = path.join(ROOT, (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin.kubelint!);
const WORK = path.join(tmpdir(), 'kubelint-bench');
const GNU_TIME = '/usr/bin/time';
// Both tools check against the same Kubernetes version; the schema tarball is built for it.
const KUBELINT_VERSION_FLAG = '1.36';
const KUBECONFORM_VERSION_FLAG = '1.36.0';

// ---------------------------------------------------------------------------------------
// Corpora

interface SourceFile {
  name: string;
  documents: string[];
}

/** The corpus files, split into their documents' text. */
function readCorpus(withCrds: boolean): SourceFile[] {
  return ['daemonsets', 'static-pods'].flatMap((dir) =>
    readdirSync(path.join(CORPUS, dir)).map((name) => {
      const text = readFileSync(path.join(CORPUS, dir, name), 'utf8');
      const documents = text
        .split(/^---[^\n]*\n/m)
        .filter((doc) => /\S/.test(doc.replace(/#.*$/gm, '')))
        .filter((doc) => withCrds || !/^kind:\s*CustomResourceDefinition\s*$/m.test(doc));
      return { name: `${dir}-${name}`, documents };
    }),
  ).filter((file) => file.documents.length > 0);
}

/** Renames the first metadata name so that repeated copies differ. */
function vary(document: string, copy: number): string {
  return copy === 0 ? document : document.replace(/^(  name:[ \t]*)(["']?)([^\s"'#]+)/m, `$1$2$3-copy${copy}`);
}

interface Built {
  /** What both tools are given: a directory or a file. */
  target: string;
  documents: number;
  bytes: number;
  files: number;
}

function build(name: string, files: SourceFile[], minimumDocuments: number): Built {
  const dir = path.join(WORK, name);
  rmSync(dir, { recursive: true, force: true });
  let documents = 0;
  let bytes = 0;
  let count = 0;
  for (let copy = 0; documents < minimumDocuments; copy++) {
    const copyDir = path.join(dir, `copy-${String(copy).padStart(4, '0')}`);
    mkdirSync(copyDir, { recursive: true });
    for (const file of files) {
      const text = file.documents.map((doc) => vary(doc, copy)).join('---\n');
      writeFileSync(path.join(copyDir, file.name), text);
      documents += file.documents.length;
      bytes += Buffer.byteLength(text);
      count++;
    }
  }
  return { target: dir, documents, bytes, files: count };
}

function buildStream(files: SourceFile[], targetBytes: number): Built {
  const dir = path.join(WORK, 'stream');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const parts: string[] = [];
  let bytes = 0;
  for (let copy = 0; bytes < targetBytes; copy++) {
    for (const file of files) {
      for (const doc of file.documents) {
        const varied = vary(doc, copy);
        if (bytes + varied.length > targetBytes) break;
        parts.push(varied);
        bytes += Buffer.byteLength(varied) + 4;
      }
    }
  }
  const text = parts.join('---\n');
  writeFileSync(path.join(dir, 'all.yaml'), text);
  return { target: dir, documents: parts.length, bytes: Buffer.byteLength(text), files: 1 };
}

function smallFile(): Built {
  const target = path.join(ROOT, 'fixtures', 'examples', 'daemonsets', 'cni-agent.yaml');
  const text = readFileSync(target, 'utf8');
  const documents = text.split(/^---[^\n]*\n/m).filter((doc) => /\S/.test(doc.replace(/#.*$/gm, ''))).length;
  return { target, documents, bytes: Buffer.byteLength(text), files: 1 };
}

// ---------------------------------------------------------------------------------------
// Running a process and measuring it

interface Sample {
  seconds: number;
  /** User + system CPU seconds, every thread of the process; undefined when not measurable. */
  cpuSeconds?: number;
  peakMb?: number;
  status: number | null;
  stdout: string;
  stderr: string;
}

const hasGnuTime = ((): boolean => {
  if (!existsSync(GNU_TIME)) return false;
  const version = spawnSync(GNU_TIME, ['--version'], { encoding: 'utf8' });
  return `${version.stdout ?? ''}${version.stderr ?? ''}`.includes('GNU');
})();

/** Runs one whole process, timing it; under GNU time for its CPU time and peak RSS. */
function runProcess(command: string, args: string[]): Sample {
  const timeFile = path.join(WORK, 'time.out');
  const wrapped = hasGnuTime ? [GNU_TIME, ['-o', timeFile, '-f', '%U %S %M', command, ...args]] as const : [command, args] as const;
  const started = process.hrtime.bigint();
  const child = spawnSync(wrapped[0], wrapped[1], { cwd: WORK, encoding: 'utf8', maxBuffer: 1 << 30 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const sample: Sample = { seconds, status: child.status, stdout: child.stdout ?? '', stderr: child.stderr ?? '' };
  if (child.error) throw new Error(`could not run ${command}: ${child.error.message}`);
  if (hasGnuTime) {
    const usage = parseGnuTime(readFileSync(timeFile, 'utf8'));
    if (usage) Object.assign(sample, usage);
  }
  return sample;
}

interface Stats {
  seconds: number;
  cpuSeconds?: number;
  peakMb?: number;
}

function medianOf(samples: Sample[]): Stats {
  const optional = (pick: (sample: Sample) => number | undefined): number | undefined => {
    const values = samples.map(pick);
    return values.every((value) => value !== undefined) ? median(values as number[]) : undefined;
  };
  return {
    seconds: median(samples.map((sample) => sample.seconds)),
    cpuSeconds: optional((sample) => sample.cpuSeconds),
    peakMb: optional((sample) => sample.peakMb),
  };
}

// ---------------------------------------------------------------------------------------
// The two tools

interface KubelintOptions {
  /** Default output format to a pipe, as a user at a terminal would run it. */
  defaultFormat?: boolean;
  extra?: string[];
}

function runKubelint(target: string, options: KubelintOptions = {}): Sample {
  const args = [target, '--kube-version', KUBELINT_VERSION_FLAG, ...(options.defaultFormat ? [] : ['-f', 'json', '-o', '/dev/null']), ...(options.extra ?? [])];
  // Without GNU time, the in-process runner reports its own CPU time and peak memory.
  const sample = hasGnuTime ? runProcess(process.execPath, [BIN, ...args]) : runProcess(process.execPath, [CHILD, ...args]);
  if (!hasGnuTime) {
    const report = JSON.parse(sample.stderr.trim().split('\n').at(-1) ?? '{}') as { maxRssKb?: number; cpuMicros?: number };
    if (report.maxRssKb !== undefined) sample.peakMb = report.maxRssKb / 1024;
    if (report.cpuMicros !== undefined) sample.cpuSeconds = report.cpuMicros / 1e6;
  }
  if (sample.status !== 0 && sample.status !== 1) {
    throw new Error(`kubelint failed on ${target} (exit ${sample.status}): ${firstLine(sample.stderr)}`);
  }
  return sample;
}

interface Kubeconform {
  binary: string;
  schemaLocation: string;
  /** A temporary directory this run extracted, removed at the end. */
  extracted?: string;
}

/** Finds kubeconform and its schemas; extracts the schema tarball once per bench run. */
function findKubeconform(): Kubeconform | string {
  const configured = process.env.KUBECONFORM;
  let binary = configured ?? path.join(SHARED, 'tools', 'kubeconform', 'kubeconform');
  if (existsSync(binary) && statSync(binary).isDirectory()) binary = path.join(binary, 'kubeconform');
  if (!existsSync(binary)) {
    if (configured) throw new UsageError(`KUBECONFORM=${configured}: no kubeconform binary there`);
    return `kubeconform not found at ${binary} (set KUBECONFORM=path): kubelint only`;
  }
  let schemas = process.env.KUBECONFORM_SCHEMAS;
  if (!schemas) {
    const dir = path.dirname(binary);
    const tarball = readdirSync(dir).find((name) => /^schemas-.*\.tar\.gz$/.test(name));
    if (!tarball) return `no schemas-*.tar.gz next to ${binary} (set KUBECONFORM_SCHEMAS=dir or tarball): kubelint only`;
    schemas = path.join(dir, tarball);
  }
  if (!existsSync(schemas)) throw new UsageError(`KUBECONFORM_SCHEMAS=${schemas}: not found`);
  if (statSync(schemas).isDirectory()) return { binary, schemaLocation: schemas };
  const extracted = mkdtempSync(path.join(tmpdir(), 'kubelint-bench-schemas-'));
  const tar = spawnSync('tar', ['-xzf', schemas, '-C', extracted], { encoding: 'utf8' });
  if (tar.status !== 0) {
    rmSync(extracted, { recursive: true, force: true });
    throw new Error(`could not extract ${schemas}: ${firstLine(tar.stderr ?? tar.error?.message ?? '')}`);
  }
  // The tarball holds schemas/v1.36.0-standalone-strict/...; kubeconform wants the parent.
  const inner = path.join(extracted, 'schemas');
  return { binary, schemaLocation: existsSync(inner) ? inner : extracted, extracted };
}

function runKubeconform(tool: Kubeconform, target: string): { sample: Sample; summary: Summary } {
  const sample = runProcess(tool.binary, ['-schema-location', tool.schemaLocation, '-kubernetes-version', KUBECONFORM_VERSION_FLAG, '-strict', '-summary', target]);
  const summary = parseSummary(sample.stdout);
  if ((sample.status !== 0 && sample.status !== 1) || !summary) {
    throw new Error(`kubeconform failed on ${target} (exit ${sample.status}): ${firstLine(sample.stderr || sample.stdout.split('\n').at(-2) || '')}`);
  }
  sample.stdout = '';
  return { sample, summary };
}

// ---------------------------------------------------------------------------------------
// Cases

interface Row {
  label: string;
  built: Built;
  kubelint: Stats;
  kubeconform?: Stats;
  /** Why kubeconform's figure is not compared; undefined when it is trusted. */
  distrust?: string;
  lessWork?: boolean;
}

interface Outcome {
  rows: Row[];
  notes: string[];
}

/** Alternating runs: kubelint, kubeconform, kubelint, ... */
function measureCase(label: string, built: Built, runs: number, kubeconform: Kubeconform | undefined, options: KubelintOptions = {}): Outcome {
  const ours: Sample[] = [];
  const theirs: Sample[] = [];
  const summaries: Summary[] = [];
  for (let run = 0; run < runs; run++) {
    ours.push(runKubelint(built.target, options));
    if (kubeconform) {
      const { sample, summary } = runKubeconform(kubeconform, built.target);
      theirs.push(sample);
      summaries.push(summary);
    }
  }
  const row: Row = { label, built, kubelint: medianOf(ours) };
  const notes: string[] = [];
  if (kubeconform) {
    row.kubeconform = medianOf(theirs);
    const verdict = judge(label, built.documents, built.files, summaries);
    row.distrust = verdict.distrust;
    row.lessWork = verdict.lessWork;
    notes.push(...verdict.notes);
  }
  return { rows: [row], notes };
}

/** The same tree twice in a row; the second run on its own row (the cache's case). */
function measureRepeat(built: Built, runs: number, kubeconform: Kubeconform | undefined): Outcome {
  const help = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' }).stdout ?? '';
  const { cache: hasCache, cacheLocation: hasCacheLocation } = cacheOptions(help);
  const cacheFile = hasCacheLocation ? path.join(WORK, 'repeat-cache') : path.join(WORK, '.kubelintcache');
  const extra = hasCache ? ['--cache', ...(hasCacheLocation ? ['--cache-location', cacheFile] : [])] : [];
  const first: Sample[] = [];
  const second: Sample[] = [];
  const theirs: Sample[] = [];
  const summaries: Summary[] = [];
  for (let run = 0; run < runs; run++) {
    rmSync(cacheFile, { recursive: true, force: true });
    first.push(runKubelint(built.target, { extra }));
    second.push(runKubelint(built.target, { extra }));
    if (kubeconform) {
      const { sample, summary } = runKubeconform(kubeconform, built.target);
      theirs.push(sample);
      summaries.push(summary);
    }
  }
  rmSync(cacheFile, { recursive: true, force: true });
  const theirStats = kubeconform ? medianOf(theirs) : undefined;
  const verdict: Verdict = kubeconform ? judge('repeat-10k', built.documents, built.files, summaries) : { notes: [] };
  const firstStats = medianOf(first);
  const secondStats = medianOf(second);
  const notes = [
    hasCache
      ? `repeat-10k: kubelint ran with ${extra.join(' ')}; the second run is ${(firstStats.seconds / secondStats.seconds).toFixed(1)}x faster than the first (wall)`
      : 'repeat-10k: no cache yet (kubelint --help has no --cache): both runs do all the work',
    ...verdict.notes,
  ];
  return {
    rows: [
      { label: 'repeat-10k, first', built, kubelint: firstStats, kubeconform: theirStats, distrust: verdict.distrust, lessWork: verdict.lessWork },
      { label: 'repeat-10k, second', built, kubelint: secondStats, kubeconform: theirStats, distrust: verdict.distrust, lessWork: verdict.lessWork },
    ],
    notes,
  };
}

// ---------------------------------------------------------------------------------------
// Output

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}

function fixed(value: number | undefined, digits: number): string {
  return value === undefined ? 'n/a' : value.toFixed(digits);
}

function ratio(ours: number | undefined, theirs: number | undefined, row: Row): string {
  return row.kubeconform ? ratioText(ours, theirs, row.distrust, row.lessWork) : '-';
}

function table(rows: Row[], runs: number): string {
  const header = [
    'case', 'documents', 'files', 'MB',
    'kubelint wall s', 'kubeconform wall s', 'wall ratio',
    'kubelint CPU s', 'kubeconform CPU s', 'CPU ratio',
    'kubelint peak MB', 'kubeconform peak MB',
  ];
  const lines = rows.map((row) => {
    const { kubelint: ours, kubeconform: theirs } = row;
    return [
      row.label, String(row.built.documents), String(row.built.files), (row.built.bytes / 1e6).toFixed(1),
      ours.seconds.toFixed(3), theirs ? theirs.seconds.toFixed(3) : '-', ratio(ours.seconds, theirs?.seconds, row),
      fixed(ours.cpuSeconds, 2), theirs ? fixed(theirs.cpuSeconds, 2) : '-', ratio(ours.cpuSeconds, theirs?.cpuSeconds, row),
      fixed(ours.peakMb, 0), theirs ? fixed(theirs.peakMb, 0) : '-',
    ];
  });
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)));
  const format = (cells: string[]): string => `| ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join(' | ')} |`;
  const rule = `|${widths.map((width, column) => (column === 0 ? `${'-'.repeat(width + 1)}-` : `${'-'.repeat(width + 1)}:`)).join('|')}|`;
  return [
    `Medians of ${runs} alternating runs (cold start: ${coldRuns(runs)}); ratios are kubelint / kubeconform (below 1: kubelint is faster).`,
    format(header),
    rule,
    ...lines.map(format),
  ].join('\n');
}

function coldRuns(runs: number): number {
  return 2 * runs + 1;
}

// ---------------------------------------------------------------------------------------

function main(): void {
  const { runs, only } = parseSettings(process.env, process.argv.slice(2));
  // Settled before anything is created, so that a mistake leaves nothing behind.
  const found = findKubeconform();
  mkdirSync(WORK, { recursive: true });
  const kubeconform = typeof found === 'string' ? undefined : found;
  const headerNotes: string[] = [];
  if (typeof found === 'string') headerNotes.push(found);
  if (!hasGnuTime) headerNotes.push(`no GNU time at ${GNU_TIME}: kubeconform's CPU time and peak memory are not measured`);
  try {
    const version = kubeconform ? firstLine(spawnSync(kubeconform.binary, ['-v'], { encoding: 'utf8' }).stdout ?? '') : '';
    console.log(
      `kubelint benchmark on ${cpus().length} cores, node ${process.version}; corpus ${CORPUS}; Kubernetes ${KUBELINT_VERSION_FLAG}` +
        (kubeconform ? `\nkubeconform ${version} ${kubeconform.binary}, schemas ${kubeconform.schemaLocation}, -strict, default 4 workers` : ''),
    );
    for (const note of headerNotes) console.log(note);
    const rows: Row[] = [];
    const notes: string[] = [];
    const add = (outcome: Outcome): void => {
      rows.push(...outcome.rows);
      notes.push(...outcome.notes);
      for (const row of outcome.rows) {
        const theirs = row.kubeconform ? `, kubeconform ${row.kubeconform.seconds.toFixed(3)} s` : '';
        console.log(`  ${row.label}: kubelint ${row.kubelint.seconds.toFixed(3)} s${theirs}`);
      }
    };
    const built = new Map<string, Built>();
    const tree = (name: string, files: () => SourceFile[], minimum: number): Built => {
      let existing = built.get(name);
      if (!existing) built.set(name, (existing = build(name, files(), minimum)));
      return existing;
    };
    const workloads = (): SourceFile[] => readCorpus(false);
    for (const name of only) {
      console.log(`${name}...`);
      switch (name) {
        case 'workloads-10k':
          add(measureCase(name, tree('workloads-10k', workloads, 10_000), runs, kubeconform));
          break;
        case 'corpus-10k':
          add(measureCase(name, tree('corpus-10k', () => readCorpus(true), 10_000), runs, kubeconform));
          break;
        case 'stream':
          add(measureCase(name, buildStream(workloads(), 8 * 1024 * 1024), runs, kubeconform));
          break;
        case 'workloads-100k':
          add(measureCase(name, tree('workloads-100k', workloads, 100_000), runs, kubeconform));
          break;
        case 'repeat-10k':
          add(measureRepeat(tree('workloads-10k', workloads, 10_000), runs, kubeconform));
          break;
        case 'cold-start':
          add(measureCase(name, smallFile(), coldRuns(runs), kubeconform, { defaultFormat: true }));
          break;
      }
    }
    console.log(`\n${table(rows, runs)}\n`);
    for (const note of notes) console.log(note);
  } finally {
    if (kubeconform?.extracted) rmSync(kubeconform.extracted, { recursive: true, force: true });
    if (!process.env.KUBELINT_BENCH_KEEP) rmSync(WORK, { recursive: true, force: true });
  }
}

try {
  main();
} catch (error) {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
