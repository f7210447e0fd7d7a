/**
 * kubelint [options] [paths...]: the command line. Exit codes follow ESLint:
 * 0 clean (warnings allowed), 1 errors or too many warnings, 2 usage or I/O problems.
 */
import { closeSync, fstatSync, openSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { finishRun, ioReason, lintRendered, lintRun, unreadableResult, type ReadOutcome, type RunOutcome } from './lint.js';
import { summarize } from './engine.js';
import { UsageError, discover, type SkippedFile } from './discover.js';
import { REASON_TEXT, type NotAManifestReason } from './manifest-files.js';
import { ConfigError, configSearchRoot } from './config.js';
import { FORMATTERS, formatChunks } from './formatters/index.js';
import { BUNDLED_MINORS, NEWEST_BUNDLED, formatKubeVersion } from './kube-version.js';
import { DEFAULT_STATIC_POD_GLOBS } from './static-pods.js';
import { parseRuleOverride, resolveRun } from './options.js';
import { RULES } from '../rules/index.js';
import { ruleDocsUrl } from './rule.js';
import type { LintResult, SeverityName } from './types.js';

export const VERSION: string = JSON.parse(
  readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'package.json'), 'utf8'),
).version;

const HELP = `kubelint [options] [paths...]

Lints Kubernetes DaemonSets and static pods; reports every problem at its line and column.
Paths are files, directories (searched for *.yaml, *.yml, *.json; .gitignore honoured) or
globs; the default is ".". Use "-" to read standard input.

Output:
  -f, --format NAME[:FILE]   ${Object.keys(FORMATTERS).join(', ')} (default: friendly). Repeatable:
                             "-f friendly -f sarif:kubelint.sarif" prints one and writes the other
  -o, --output-file FILE     Write the report to FILE instead of standard output
      --max-warnings N       Exit 1 when there are more than N warnings
      --quiet                Report errors only

What to check:
  -c, --config FILE          Use this configuration (default: .kubelint.yaml found from the
                             working directory up to the repository root)
      --no-config            Use no configuration file
      --rule RULE=SEVERITY   Set a rule to off, warn or error (repeatable; wins over the config)
      --kube-version X.Y     Kubernetes version to check against (default: ${formatKubeVersion(NEWEST_BUNDLED)};
                             bundled schemas: 1.${BUNDLED_MINORS[0]} to 1.${BUNDLED_MINORS[BUNDLED_MINORS.length - 1]})
      --static-pod-path GLOB Also treat files matching GLOB as static pods (repeatable);
                             always: ${DEFAULT_STATIC_POD_GLOBS.join(', ')}
      --no-strict            Allow fields the schema does not know (default: unknown fields
                             are errors, as kubectl >= 1.27's strict validation)
      --schema-dir DIR       Also validate against JSON schemas in DIR, kubeconform layout
                             {kind}-{group}-{version}.json (repeatable; for custom resources)
      --schema-missing MODE  Objects no schema validates (custom resources): off (default), warn, error
      --stdin-filename PATH  The file name to report (and match static pod globs) for "-"
      --ignore-pattern GLOB  Also ignore files matching GLOB, .gitignore style (repeatable)
      --no-ignore            Lint files that ignorePatterns or .gitignore exclude
      --debug                Say on standard error which configuration applied and what
                             happened to every file (linted, skipped as not a manifest, ignored)

Information:
      --list-rules           List the rules (with --format json: as JSON) and exit
  -h, --help                 Show this help and exit
  -v, --version              Show the version and exit

Exit codes: 0 no errors, 1 errors or too many warnings, 2 bad usage or no usable input.`;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /**
   * Standard input for "-": text already read, or the outcome of reading it with the file
   * checks (lint.ts readStandardInput); may throw UsageError for no usable input.
   */
  readStdin: () => string | ReadOutcome | Promise<string | ReadOutcome>;
  cwd: string;
}

function parseCli(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string', short: 'f', multiple: true },
      'output-file': { type: 'string', short: 'o' },
      config: { type: 'string', short: 'c' },
      'no-config': { type: 'boolean' },
      rule: { type: 'string', multiple: true },
      'kube-version': { type: 'string' },
      'static-pod-path': { type: 'string', multiple: true },
      'stdin-filename': { type: 'string' },
      'no-strict': { type: 'boolean' },
      'schema-dir': { type: 'string', multiple: true },
      'schema-missing': { type: 'string' },
      'max-warnings': { type: 'string' },
      quiet: { type: 'boolean' },
      debug: { type: 'boolean' },
      'ignore-pattern': { type: 'string', multiple: true },
      'no-ignore': { type: 'boolean' },
      'list-rules': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
}

interface OutputTarget {
  format: string;
  /** A file to write, or undefined for standard output. */
  file: string | undefined;
}

/** -f NAME[:FILE] specs, plus --output-file for the one without a file. */
export function outputTargets(formats: readonly string[] | undefined, outputFile: string | undefined): OutputTarget[] {
  const specs = formats?.length ? formats : ['friendly'];
  const targets = specs.map((spec) => {
    const colon = spec.indexOf(':');
    const format = colon < 0 ? spec : spec.slice(0, colon);
    const file = colon < 0 ? undefined : spec.slice(colon + 1);
    if (!FORMATTERS[format]) throw new UsageError(`unknown format "${format}"; use one of ${Object.keys(FORMATTERS).join(', ')}`);
    if (file === '') throw new UsageError(`--format ${spec}: the file name after ":" is empty`);
    return { format, file };
  });
  const toDefault = targets.filter((target) => target.file === undefined);
  if (toDefault.length > 1) {
    throw new UsageError(`only one --format can go to ${outputFile ? '--output-file' : 'standard output'}; give the others a file (-f sarif:out.sarif)`);
  }
  for (const target of toDefault) target.file = outputFile;
  return targets;
}

function listRules(io: CliIo, asJson: boolean): void {
  if (asJson) {
    const rules = RULES.map((rule) => ({
      id: rule.meta.id,
      severity: rule.meta.severity,
      description: rule.meta.description,
      kinds: rule.meta.kinds,
      docs: { url: ruleDocsUrl(rule.meta.id) },
    }));
    io.stdout(`${JSON.stringify(rules, null, 2)}\n`);
    return;
  }
  for (const rule of RULES) {
    io.stdout(`${rule.meta.id.padEnd(36)} ${rule.meta.severity.padEnd(5)}  ${rule.meta.description}\n${''.padEnd(44)}${ruleDocsUrl(rule.meta.id)}\n`);
  }
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  try {
    let parsed: ReturnType<typeof parseCli>;
    try {
      parsed = parseCli(argv);
    } catch (error) {
      throw new UsageError(`${(error as Error).message.split('\n')[0]} (see kubelint --help)`);
    }
    const { values, positionals } = parsed;
    if (values.help) {
      io.stdout(`${HELP}\n`);
      return 0;
    }
    if (values.version) {
      io.stdout(`${VERSION}\n`);
      return 0;
    }
    if (values['list-rules']) {
      listRules(io, values.format?.includes('json') ?? false);
      return 0;
    }
    const targets = outputTargets(values.format, values['output-file']);
    let maxWarnings = -1;
    if (values['max-warnings'] !== undefined) {
      maxWarnings = Number(values['max-warnings']);
      if (!Number.isInteger(maxWarnings) || maxWarnings < -1)
        throw new UsageError(`--max-warnings takes a whole number, not "${values['max-warnings']}"`);
    }
    if (values.config && values['no-config']) throw new UsageError('--config and --no-config cannot be used together');
    const rules: Record<string, SeverityName> = Object.fromEntries((values.rule ?? []).map(parseRuleOverride));
    const run = resolveRun({
      cwd: io.cwd,
      config: values['no-config'] ? false : values.config,
      ...(values['kube-version'] !== undefined ? { kubeVersion: values['kube-version'] } : {}),
      staticPodPaths: values['static-pod-path'] ?? [],
      rules,
      ...(values['no-strict'] ? { strict: false } : {}),
      schemaDirs: values['schema-dir'] ?? [],
      ...(values['schema-missing'] !== undefined ? { schemaMissing: parseSchemaMissing(values['schema-missing']) } : {}),
    });
    for (const notice of run.notices) io.stderr(`${notice}\n`);

    const debug = values.debug ? (message: string) => io.stderr(`kubelint:debug ${message}\n`) : undefined;
    if (debug) {
      if (run.config) debug(`config: ${run.config.file}`);
      else if (values['no-config']) debug('config: none (--no-config)');
      else debug(`config: none (no .kubelint.yaml, .kubelint.yml or .kubelint.json from ${path.resolve(io.cwd)} up to ${configSearchRoot(io.cwd)})`);
    }

    const paths = positionals.length ? positionals : ['.'];
    const usesStdin = paths.includes('-');
    if (usesStdin && paths.length > 1) throw new UsageError('"-" (standard input) cannot be combined with other paths');
    let outcome: RunOutcome;
    if (usesStdin) {
      const name = values['stdin-filename'] ?? '<stdin>';
      const filePath = path.resolve(io.cwd, name);
      // The file standard input stands for is an input too: a report must not replace it.
      checkOutputs(targets, io.cwd, [...(values['stdin-filename'] !== undefined ? [filePath] : []), ...redirectedStdinFile()]);
      const input = await io.readStdin();
      const read = typeof input === 'string' ? { text: input } : input;
      // A stream helm rendered names its templates (`# Source:`); --stdin-filename is then the chart.
      const chartDir = values['stdin-filename'] !== undefined && !/\.(?:ya?ml|json)$/i.test(name) ? filePath : undefined;
      const engine = { ...run.engine, skipNonManifests: true };
      const linted =
        'problem' in read
          ? [unreadableResult(filePath, read.problem)]
          : lintRendered(read.text, name, chartDir, engine).map((result) => (result.filePath === name ? { ...result, filePath } : result));
      const skipped = linted.filter((result) => result.skipped).map((result) => ({ file: filePath, reason: result.skipped as NotAManifestReason, explicit: true }));
      for (const entry of skipped) debug?.(`skipped ${entry.file}: not a manifest, ${REASON_TEXT[entry.reason]}`);
      outcome = finishRun(linted.filter((result) => !result.skipped), skipped, [], debug ? { debug } : {});
    } else {
      if (values['stdin-filename']) throw new UsageError('--stdin-filename goes with "-" (standard input)');
      const found = await discover(paths, {
        cwd: io.cwd,
        ignore: run.ignore,
        ...(values['ignore-pattern'] ? { ignorePatterns: values['ignore-pattern'] } : {}),
        ...(values['no-ignore'] ? { noIgnore: true } : {}),
        staticPods: run.engine.staticPods,
        schemaDirs: (run.engine.ruleOptions.schema?.schemaDirs as string[] | undefined) ?? [],
        ...(debug ? { debug } : {}),
      });
      checkOutputs(targets, io.cwd, found.files);
      outcome = await lintRun(found, run.engine, debug ? { debug } : {});
      // Only a search that found nothing at all to look at is an error; pre-commit's list of
      // files that holds no manifest is fine.
      if (found.searched && outcome.results.length === 0 && found.charts.length === 0) {
        const skippedCount = outcome.skipped.length;
        throw new UsageError(
          `no manifests found in ${paths.join(', ')}` +
            (skippedCount ? ` (${skippedCount} file${skippedCount === 1 ? '' : 's'} skipped as not manifests or ignored; --debug says why)` : ' (*.yaml, *.yml, *.json, and any file in a static pod directory)'),
        );
      }
    }
    for (const note of outcome.notes) io.stderr(`${note}\n`);
    // ESLint's behaviour for a file named explicitly that an ignore pattern excludes: a
    // warning, which does not change the exit code.
    const ignoredWarnings = outcome.skipped.filter((entry) => entry.reason === 'ignored' && entry.explicit).map(ignoredFileResult);
    let results = [...outcome.results, ...ignoredWarnings].sort((a, b) => (a.filePath < b.filePath ? -1 : a.filePath > b.filePath ? 1 : 0));
    if (values.quiet) results = results.map(errorsOnly);

    for (const target of targets) {
      const chunks = formatChunks(target.format, results, { cwd: io.cwd, version: VERSION, stats: outcome.stats });
      if (target.file) writeReport(path.resolve(io.cwd, target.file), target.file, chunks);
      else printReport(io, chunks);
    }

    const errors = results.reduce((sum, result) => sum + result.errorCount, 0);
    const warnings = results.reduce((sum, result) => sum + result.warningCount, 0) - ignoredWarnings.length;
    if (errors > 0) return 1;
    if (maxWarnings >= 0 && warnings > maxWarnings) {
      io.stderr(`kubelint found too many warnings (maximum: ${maxWarnings}).\n`);
      return 1;
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      io.stderr(`kubelint: ${error.message}\n`);
      return 2;
    }
    // I/O and internal errors: one line, never a stack trace.
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`kubelint: ${message.split('\n')[0]}\n`);
    return 2;
  }
}

function parseSchemaMissing(text: string): SeverityName {
  if (text === 'off' || text === 'warn' || text === 'error') return text;
  throw new UsageError(`--schema-missing takes off, warn or error, not "${text}"`);
}

function ignoredFileResult(entry: SkippedFile): LintResult {
  return summarize({
    filePath: entry.file,
    messages: [
      {
        ruleId: null,
        severity: 1,
        message: `File ignored because of a matching ignore pattern (${entry.pattern}). Use "--no-ignore" to lint it anyway.`,
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: 1,
      },
    ],
    suppressedMessages: [],
  });
}

function errorsOnly(result: LintResult): LintResult {
  const messages = result.messages.filter((message) => message.severity === 2);
  return { ...result, messages, warningCount: 0 };
}

/** The file redirected to standard input (`kubelint - < a.yaml`), where the system can name it (Linux). */
function redirectedStdinFile(): string[] {
  try {
    return fstatSync(0).isFile() ? [realpathSync('/proc/self/fd/0')] : [];
  } catch {
    return [];
  }
}

/** Chunks are joined up to this many characters per write: few system calls, bounded memory. */
const WRITE_BATCH = 1 << 16;

function* batched(chunks: Iterable<string>): Generator<string> {
  let pending = '';
  for (const chunk of chunks) {
    pending += chunk;
    if (pending.length >= WRITE_BATCH) {
      yield pending;
      pending = '';
    }
  }
  if (pending) yield pending;
}

/** Standard output: nothing for an empty report, else the report ending in a newline. */
function printReport(io: CliIo, chunks: Iterable<string>): void {
  let last = '';
  for (const text of batched(chunks)) {
    io.stdout(text);
    last = text;
  }
  if (last && !last.endsWith('\n')) io.stdout('\n');
}

/** Where a path is, with its directory resolved but not the last component (which is replaced, never followed). */
function location(file: string): string {
  try {
    return path.join(realpathSync(path.dirname(file)), path.basename(file));
  } catch {
    return file;
  }
}

function realpathOrUndefined(file: string): string | undefined {
  try {
    return realpathSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Refuses, before anything is linted or written, a report file that is an input (by any
 * spelling or through a symbolic link), two reports to one file, and a file whose
 * directory does not exist.
 */
function checkOutputs(targets: readonly OutputTarget[], cwd: string, inputs: readonly string[]): void {
  const files = targets.filter((target) => target.file !== undefined);
  if (files.length === 0) return;
  const inputPlaces = new Set<string>();
  for (const input of inputs) {
    inputPlaces.add(location(input));
    const real = realpathOrUndefined(input);
    if (real) inputPlaces.add(real);
  }
  const seen = new Map<string, string>();
  for (const target of files) {
    const name = target.file!;
    const absolute = path.resolve(cwd, name);
    const place = location(absolute);
    const earlier = seen.get(place);
    if (earlier !== undefined) {
      throw new UsageError(`two reports would be written to one file (${earlier === name ? name : `${earlier} and ${name}`}); give each format its own file`);
    }
    seen.set(place, name);
    const real = realpathOrUndefined(absolute);
    if (inputPlaces.has(place) || (real && inputPlaces.has(real))) {
      throw new UsageError(`the report file ${name} is one of the files being linted; writing it would replace that manifest. Choose another file name`);
    }
    const directory = path.dirname(absolute);
    let stats;
    try {
      stats = statSync(directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        throw new UsageError(`cannot write the report to ${name}: the directory ${directory} does not exist`);
      throw new UsageError(`cannot write the report to ${name}: ${ioReason(error)}`);
    }
    if (!stats.isDirectory()) throw new UsageError(`cannot write the report to ${name}: ${directory} is not a directory`);
    if (real && statSync(real, { throwIfNoEntry: false })?.isDirectory()) {
      throw new UsageError(`cannot write the report to ${name}: it is a directory`);
    }
  }
}

/**
 * Writes a report to a new file beside `absolute` and renames it over the path: the path
 * itself is replaced, so a symbolic link there is replaced, never followed to its target,
 * and readers never see half a report.
 */
function writeReport(absolute: string, name: string, chunks: Iterable<string>): void {
  const temporary = path.join(path.dirname(absolute), `.${path.basename(absolute)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    // 'wx': O_CREAT | O_EXCL, which also refuses to open through a symbolic link.
    fd = openSync(temporary, 'wx');
    for (const text of batched(chunks)) writeSync(fd, stripAnsi(text));
    closeSync(fd);
    fd = undefined;
    renameSync(temporary, absolute);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temporary);
    } catch {
      // never created
    }
    throw new Error(`cannot write the report to ${name}: ${ioReason(error)}`);
  }
}

function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, '').replace(/\u001b\]1337;[^\u0007]*\u0007/g, '');
}
