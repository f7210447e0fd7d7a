/**
 * npm run bench: builds corpora from ../shared/corpus and measures the CLI as a user runs
 * it (a fresh process each time, schema validation and every rule on, JSON output):
 *
 *   workloads-10k   the corpus without CustomResourceDefinitions (DaemonSets, static pods,
 *                   RBAC, ConfigMaps, Services...), repeated with varied names to 10,000+
 *                   documents: the mix kubeconform's reference figure is about
 *   corpus-10k      every corpus document, CRDs included, repeated to 10,000+ documents
 *   stream          one multi-document file of about 8 MB
 *   workloads-100k  the first mix to 100,000+ documents, for peak memory
 *   cold start      one small file
 *
 * Each figure is the median of several runs. Never part of npm test.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CORPUS = process.env.KUBELINT_CORPUS ?? path.resolve(ROOT, '..', 'shared', 'corpus');
const CHILD = path.join(ROOT, 'dist', 'scripts', 'bench-child.js');
const BIN = path.join(ROOT, 'dist', 'src', 'bin.js');
const WORK = path.join(tmpdir(), 'kubelint-bench');
const KUBECONFORM = { docsPerSecond: 9700, mbPerSecond: 8 / 1.24, coldStartMs: 180 };

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
  dir: string;
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
  return { dir, documents, bytes, files: count };
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
  return { dir, documents: parts.length, bytes: Buffer.byteLength(text), files: 1 };
}

interface Run {
  seconds: number;
  maxRssMb: number;
  status: number | null;
}

function runOnce(target: string): Run {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [CHILD, target, '-f', 'json', '-o', '/dev/null'], { encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const report = JSON.parse(child.stderr.trim().split('\n').at(-1) ?? '{}') as { maxRssKb?: number };
  return { seconds, maxRssMb: (report.maxRssKb ?? 0) / 1024, status: child.status };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function measure(label: string, built: Built, runs: number): { docsPerSecond: number; mbPerSecond: number; maxRssMb: number } {
  const results = Array.from({ length: runs }, () => runOnce(built.dir));
  if (results.some((run) => run.status === 2 || run.status === null)) throw new Error(`${label}: kubelint failed`);
  const seconds = median(results.map((run) => run.seconds));
  const maxRssMb = median(results.map((run) => run.maxRssMb));
  const docsPerSecond = built.documents / seconds;
  const mbPerSecond = built.bytes / 1e6 / seconds;
  console.log(
    `${label.padEnd(16)} ${String(built.documents).padStart(7)} docs ${(built.bytes / 1e6).toFixed(1).padStart(6)} MB ${String(built.files).padStart(6)} files  ` +
      `${seconds.toFixed(2).padStart(6)} s  ${Math.round(docsPerSecond).toString().padStart(6)} docs/s  ${mbPerSecond.toFixed(1).padStart(5)} MB/s  ` +
      `peak ${maxRssMb.toFixed(0)} MB  (median of ${runs})`,
  );
  return { docsPerSecond, mbPerSecond, maxRssMb };
}

function coldStart(runs: number): number {
  const file = path.join(ROOT, 'fixtures', 'examples', 'daemonsets', 'cni-agent.yaml');
  const times = Array.from({ length: runs }, () => {
    const started = process.hrtime.bigint();
    spawnSync(process.execPath, [BIN, file], { encoding: 'utf8' });
    return Number(process.hrtime.bigint() - started) / 1e6;
  });
  const ms = median(times);
  console.log(`${'cold start'.padEnd(16)} one small file: ${ms.toFixed(0)} ms (median of ${runs})`);
  return ms;
}

function main(): void {
  const quick = process.argv.includes('--quick');
  console.log(`kubelint benchmark on ${cpus().length} cores, node ${process.version}; corpus ${CORPUS}`);
  const workloads = readCorpus(false);
  const everything = readCorpus(true);
  const mixed = measure('workloads-10k', build('workloads-10k', workloads, 10_000), quick ? 1 : 5);
  measure('corpus-10k', build('corpus-10k', everything, 10_000), quick ? 1 : 3);
  measure('stream', buildStream(workloads, 8 * 1024 * 1024), quick ? 1 : 5);
  const large = quick ? undefined : measure('workloads-100k', build('workloads-100k', workloads, 100_000), 3);
  const cold = coldStart(quick ? 3 : 11);
  console.log(
    `\nagainst kubeconform's reference (${KUBECONFORM.docsPerSecond} docs/s, ${KUBECONFORM.mbPerSecond.toFixed(1)} MB/s, ${KUBECONFORM.coldStartMs} ms):` +
      ` workloads ${(mixed.docsPerSecond / KUBECONFORM.docsPerSecond).toFixed(2)}x by documents, ${(mixed.mbPerSecond / KUBECONFORM.mbPerSecond).toFixed(2)}x by bytes;` +
      ` cold start ${cold.toFixed(0)} ms${large ? `; peak memory at 100k documents ${large.maxRssMb.toFixed(0)} MB` : ''}`,
  );
  if (!process.env.KUBELINT_BENCH_KEEP) rmSync(WORK, { recursive: true, force: true });
}

main();
