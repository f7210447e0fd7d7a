/**
 * kubelint [options] [paths...]: the command line. Exit codes follow ESLint:
 * 0 clean (warnings allowed), 1 errors or too many warnings, 2 usage or I/O problems.
 */
import { VERSION } from '../version.js';
import { closeSync, fstatSync, openSync, realpathSync, statSync, writeSync, type Stats } from 'node:fs';
import path from 'node:path';
import { fixFile, fixText, type FixOptions } from '../lint/apply-fixes.js';
import { writeAtomically } from '../lint/atomic-write.js';
import { finishRun, ioReason, lintRendered, lintRun, ResultReadFromDisk, unreadableResult, type ReadOutcome, type RunOutcome } from '../lint/run.js';
import { resolveRunFacts } from '../lint/cross-object.js';
import { ruleOptionsFor, summarize } from '../lint/engine.js';
import { ConfigError, UsageError } from '../errors.js';
import { discover, ignorePatternFor, type SkippedFile } from '../discover/discover.js';
import { REASON_TEXT, type NotAManifestReason } from '../discover/manifest-files.js';
import { configSearchRoot } from '../config/config.js';
import { FORMATTERS, formatChunks } from '../report/index.js';
import { closest } from '../schema/explain.js';
import { BUNDLED_MINORS, NEWEST_BUNDLED, formatKubeVersion } from '../kube-version.js';
import { DEFAULT_STATIC_POD_GLOBS } from '../discover/static-pods.js';
import { parseRuleOverride, resolveRun, severityName } from '../config/options.js';
import { BUILT_IN } from '../../rules/index.js';
import { docsUrlOf, RULE_TYPES, type RuleType } from '../engine/rule.js';
import { rulesMetaOf, type RuleRegistry } from '../engine/registry.js';
import { CACHE_STRATEGIES, DEFAULT_CACHE_FILE, LintCache, resolveCacheLocation, settingsKey, type CacheStrategy } from '../lint/cache.js';
import type { LintResult, SeverityName } from '../types.js';


/** --help's first lines; the options' lines come from OPTIONS. */
const HELP_INTRO = `kubelint [options] [paths...]

Lints Kubernetes DaemonSets and static pods; reports every problem at its line
and column. Paths are files, directories (searched for *.yaml, *.yml, *.json;
.gitignore honoured) or globs; the default is ".". "-" reads standard input.`;

const HELP_OUTRO = `Exit codes: 0 no errors, 1 errors or too many warnings, 2 bad usage or no
usable input.`;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /**
   * Standard input for "-": text already read, or the outcome of reading it with the file
   * checks (lint.ts readStandardInput); may throw UsageError for no usable input.
   */
  readStdin: () => string | ReadOutcome | Promise<string | ReadOutcome>;
  cwd: string;
  /** The environment (NO_COLOR, FORCE_COLOR, TERM); default: none set. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Whether standard output / standard error is a terminal (default: no). */
  stdoutIsTTY?: boolean;
  stderrIsTTY?: boolean;
  /** The terminal's width, when standard output is one. */
  columns?: number;
  /** The executable's V8 tuning (src/cli/memory.ts), told where files are linted. */
  tuneMemory?: (linting: 'here' | 'on workers') => void;
}

export type HelpSection = 'Output' | 'What to check' | 'Caching' | 'Information';

/** One option: how the parser reads it and how --help shows it. */
export interface OptionSpec {
  name: string;
  short?: string;
  /** Other names accepted for the option (kept for compatibility). */
  aliases?: readonly string[];
  type: 'string' | 'boolean';
  multiple?: boolean;
  /** What the value looks like, for "needs a value" errors. */
  value?: string;
  /** The value as --help shows it, when it differs from `value`. */
  helpValue?: string;
  /** --help's section; an option without one is shown with another (--no-color with --color). */
  section?: HelpSection;
  /** The left column when it is not "-s, --name VALUE" (options shown in pairs). */
  label?: string;
  /** What it does, wrapped to the terminal's 80 columns; "\n" starts a new line, "\u00a0" is a space not broken. */
  help?: string;
}

const kubeVersions = () =>
  `(default: ${formatKubeVersion(NEWEST_BUNDLED)}; bundled schemas 1.${BUNDLED_MINORS[0]} to 1.${BUNDLED_MINORS[BUNDLED_MINORS.length - 1]}).`;

/** The command line's options, in --help's order: the parser and --help both read this table. */
export const OPTIONS: readonly OptionSpec[] = [
  {
    name: 'format', short: 'f', type: 'string', multiple: true, value: 'NAME[:FILE]', section: 'Output',
    help: `${Object.keys(FORMATTERS).join(', ')} (default: friendly). Repeatable: "-f\u00a0friendly -f\u00a0sarif:kubelint.sarif" prints one, writes one`,
  },
  { name: 'output-file', short: 'o', type: 'string', value: 'FILE', section: 'Output', help: 'Write the report to FILE (never coloured)' },
  {
    name: 'color', type: 'boolean', section: 'Output', label: '--color, --no-color',
    help: 'Colour or not (default: on a terminal, unless NO_COLOR is set; FORCE_COLOR=1 or 0 forces it)',
  },
  { name: 'no-color', type: 'boolean' },
  { name: 'max-warnings', type: 'string', value: 'N', section: 'Output', help: 'Exit 1 on more than N warnings (-1: no limit)' },
  { name: 'quiet', type: 'boolean', section: 'Output', help: 'Report errors only' },
  { name: 'fix', type: 'boolean', section: 'Output', help: 'Fix what can be fixed safely, in place (comments and formatting kept); report what remains' },
  {
    name: 'fix-dry-run', type: 'boolean', section: 'Output',
    help: 'Fix without writing: JSON output carries each fixed text as "output"; with "-", the fixed text goes to standard output, the report to standard error',
  },
  {
    name: 'fix-type', type: 'string', multiple: true, value: 'TYPE[,TYPE...]', helpValue: 'TYPES', section: 'Output',
    help: `With --fix or --fix-dry-run, apply only the fixes of rules of these types: ${RULE_TYPES.join(', ')} (comma list, repeatable; --list-rules --format json shows each rule's)`,
  },
  {
    name: 'config', short: 'c', type: 'string', value: 'FILE', section: 'What to check',
    help: 'Use this configuration (default: .kubelint.yaml from the working directory up to the repository root)',
  },
  { name: 'no-config', type: 'boolean', section: 'What to check', help: 'Use no configuration file' },
  {
    name: 'rule', type: 'string', multiple: true, value: 'RULE=off|warn|error', helpValue: 'RULE=SEVERITY', section: 'What to check',
    help: 'Set a rule to off, warn or error (or 0, 1, 2); repeatable, wins over the configuration',
  },
  {
    name: 'kubernetes-version', aliases: ['kube-version'], type: 'string', value: 'X.Y', section: 'What to check',
    help: `Kubernetes version to check against ${kubeVersions()}\nAlias: --kube-version`,
  },
  {
    name: 'static-pod-path', type: 'string', multiple: true, value: 'GLOB', section: 'What to check',
    help: `Also treat files matching GLOB as static pods (repeatable); always: ${DEFAULT_STATIC_POD_GLOBS.join(', ')}`,
  },
  {
    name: 'strict', type: 'boolean', section: 'What to check', label: '--strict, --no-strict',
    help: 'Unknown fields are errors (the default, as kubectl >= 1.27 validates) / allow them',
  },
  { name: 'no-strict', type: 'boolean' },
  {
    name: 'schema-dir', type: 'string', multiple: true, value: 'DIR', section: 'What to check',
    help: 'Also validate against JSON schemas in DIR, kubeconform layout {kind}-{group}-{version}.json (repeatable; for custom resources)',
  },
  {
    name: 'schema-missing', type: 'string', value: 'off|warn|error', helpValue: 'MODE', section: 'What to check',
    help: 'Objects no schema validates (custom resources): off (default), warn or error',
  },
  {
    name: 'stdin-filename', type: 'string', value: 'PATH', section: 'What to check',
    help: 'The file name to report (and match static pod globs) for "-"',
  },
  {
    name: 'ignore-pattern', type: 'string', multiple: true, value: 'GLOB', section: 'What to check',
    help: 'Also ignore files matching GLOB, .gitignore style (repeatable)',
  },
  { name: 'no-ignore', type: 'boolean', section: 'What to check', help: 'Lint files that ignore patterns or .gitignore exclude' },
  {
    name: 'cache', type: 'boolean', section: 'Caching',
    help: 'Only lint files that changed since the last run, replaying the results of the others (ESLint\'s --cache)',
  },
  {
    name: 'cache-location', type: 'string', value: 'PATH', section: 'Caching',
    help: `The cache file, or a directory to keep it in (default: ${DEFAULT_CACHE_FILE})`,
  },
  {
    name: 'cache-strategy', type: 'string', value: 'metadata|content', helpValue: 'STRATEGY', section: 'Caching',
    help: 'How a changed file is detected: metadata (size and time, the default) or content (a hash; use it in CI, where a checkout sets new times)',
  },
  {
    name: 'debug', type: 'boolean', section: 'What to check',
    help: 'Say on standard error which configuration applied and what happened to every file',
  },
  { name: 'print-config', type: 'string', value: 'FILE', section: 'Information', help: 'Print, as JSON, the settings FILE is linted with' },
  { name: 'list-rules', type: 'boolean', section: 'Information', help: 'List the rules (with --format json: as JSON)' },
  { name: 'help', short: 'h', type: 'boolean', section: 'Information', help: 'Show this help' },
  { name: 'version', short: 'v', type: 'boolean', section: 'Information', help: 'Show the version' },
];

const HELP_WIDTH = 80;
/** Where descriptions start: a longer left column puts its description on the next line. */
const HELP_COLUMN = 28;

/** Words of `text` in lines of at most `width` columns; "\n" forces a line break. */
function wrap(text: string, width: number): string[] {
  return text.split('\n').flatMap((paragraph) => {
    const lines: string[] = [];
    let line = '';
    for (const word of paragraph.split(' ')) {
      if (line && line.length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    return [...lines, line].map((text) => text.replaceAll('\u00a0', ' '));
  });
}

/** --help, from the table. */
export function helpText(options: readonly OptionSpec[] = OPTIONS): string {
  const sections = new Map<HelpSection, string[]>();
  for (const spec of options) {
    if (!spec.section || !spec.help) continue;
    const value = spec.helpValue ?? spec.value;
    const label = `${spec.short ? `-${spec.short}, ` : '    '}${spec.label ?? `--${spec.name}`}${spec.type === 'string' && value ? ` ${value}` : ''}`;
    const left = `  ${label}`;
    const text = wrap(spec.help, HELP_WIDTH - HELP_COLUMN).map((line) => `${' '.repeat(HELP_COLUMN)}${line}`);
    const lines = left.length < HELP_COLUMN ? [`${left.padEnd(HELP_COLUMN)}${text[0]!.trimStart()}`, ...text.slice(1)] : [left, ...text];
    sections.set(spec.section, [...(sections.get(spec.section) ?? []), ...lines]);
  }
  const body = [...sections].map(([section, lines]) => `${section}:\n${lines.join('\n')}`);
  return [HELP_INTRO, ...body, HELP_OUTRO].join('\n\n');
}

interface CliValues {
  format?: string[];
  'output-file'?: string;
  config?: string;
  'no-config'?: boolean;
  rule?: string[];
  'kubernetes-version'?: string;
  'static-pod-path'?: string[];
  'stdin-filename'?: string;
  'schema-dir'?: string[];
  'schema-missing'?: string;
  'max-warnings'?: string;
  quiet?: boolean;
  fix?: boolean;
  'fix-dry-run'?: boolean;
  'fix-type'?: string[];
  debug?: boolean;
  cache?: boolean;
  'cache-location'?: string;
  'cache-strategy'?: string;
  'ignore-pattern'?: string[];
  'no-ignore'?: boolean;
  'print-config'?: string;
  'list-rules'?: boolean;
  help?: boolean;
  version?: boolean;
  /** --strict / --no-strict, the last one given wins. */
  strict?: boolean;
  /** --color / --no-color, the last one given wins. */
  color?: boolean;
}

export interface ParsedCli {
  values: CliValues;
  positionals: string[];
  /** The spelling of the version option used (--kubernetes-version or its alias), for messages. */
  versionOption: string;
}

const BY_LONG = new Map<string, OptionSpec>(OPTIONS.flatMap((spec) => [spec.name, ...(spec.aliases ?? [])].map((name) => [name, spec] as const)));
const BY_SHORT = new Map<string, OptionSpec>(OPTIONS.filter((spec) => spec.short).map((spec) => [spec.short!, spec]));

function unknownOption(option: string): UsageError {
  const name = option.replace(/^-+/, '').split('=')[0]!;
  const suggestion = name.length > 1 ? closest(name, [...BY_LONG.keys()]) : undefined;
  return new UsageError(`unknown option ${option.split('=')[0]}${suggestion ? ` (did you mean --${suggestion}?)` : ''}; see kubelint --help`);
}

/**
 * The command line, by this table (node:util's parseArgs cannot suggest a close option, and
 * refuses `--max-warnings -1`): a string option takes the next argument whatever it starts
 * with; `--` ends the options; `-` is standard input.
 */
export function parseCli(argv: readonly string[]): ParsedCli {
  const values: Record<string, unknown> = {};
  const positionals: string[] = [];
  let versionOption = '--kubernetes-version';
  const set = (spec: OptionSpec, given: string, value: string | undefined) => {
    if (spec.type === 'boolean') {
      if (value !== undefined) throw new UsageError(`${given} takes no value (remove "=${value}")`);
      if (spec.name === 'strict' || spec.name === 'no-strict') values.strict = spec.name === 'strict';
      else if (spec.name === 'color' || spec.name === 'no-color') values.color = spec.name === 'color';
      else values[spec.name] = true;
      return;
    }
    if (value === undefined) throw new UsageError(`${given} needs a value: ${given} ${spec.value ?? 'VALUE'}`);
    if (spec.name === 'kubernetes-version') versionOption = given;
    if (spec.multiple) ((values[spec.name] ??= []) as string[]).push(value);
    else values[spec.name] = value;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    if (arg.startsWith('--')) {
      const equals = arg.indexOf('=');
      const name = equals < 0 ? arg.slice(2) : arg.slice(2, equals);
      const spec = BY_LONG.get(name);
      if (!spec) throw unknownOption(arg);
      let value = equals < 0 ? undefined : arg.slice(equals + 1);
      if (spec.type === 'string' && value === undefined && i + 1 < argv.length) value = argv[++i];
      set(spec, `--${name}`, value);
      continue;
    }
    // Short options: -f json, -fjson, -f=json, and booleans grouped (-hv).
    for (let j = 1; j < arg.length; j++) {
      const spec = BY_SHORT.get(arg[j]!);
      if (!spec) throw new UsageError(`unknown option -${arg[j]}${arg.length > 2 ? ` (in ${arg})` : ''}; see kubelint --help`);
      if (spec.type === 'boolean') {
        set(spec, `-${arg[j]}`, undefined);
        continue;
      }
      let value: string | undefined = arg.slice(j + 1).replace(/^=/, '');
      if (value === '') value = i + 1 < argv.length ? argv[++i] : undefined;
      set(spec, `-${arg[j]}`, value);
      break;
    }
  }
  return { values: values as CliValues, positionals, versionOption };
}

/**
 * Whether to colour: --color / --no-color, else FORCE_COLOR (0 or false: no; anything
 * else: yes), else NO_COLOR (set and not empty: no), else whether the output is a terminal.
 */
export function colorEnabled(flag: boolean | undefined, env: Readonly<Record<string, string | undefined>>, isTTY: boolean): boolean {
  if (flag !== undefined) return flag;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !(force === '0' || force === 'false');
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTTY && env.TERM !== 'dumb';
}

interface OutputTarget {
  format: string;
  /** A file to write, or undefined for standard output. */
  file: string | undefined;
}

function unknownFormat(format: string): UsageError {
  const names = Object.keys(FORMATTERS);
  const suggestion = closest(format, names);
  return new UsageError(`unknown format "${format}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; use one of ${names.join(', ')}`);
}

/** -f NAME[:FILE] specs, plus --output-file for the one without a file. */
export function outputTargets(formats: readonly string[] | undefined, outputFile: string | undefined): OutputTarget[] {
  const specs = formats?.length ? formats : ['friendly'];
  const targets = specs.map((spec) => {
    const colon = spec.indexOf(':');
    const format = colon < 0 ? spec : spec.slice(0, colon);
    const file = colon < 0 ? undefined : spec.slice(colon + 1);
    if (!FORMATTERS[format]) throw unknownFormat(format);
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

function listRules(io: CliIo, formats: readonly string[] | undefined, registry: RuleRegistry): void {
  const names = (formats ?? []).map((spec) => spec.split(':')[0]!);
  for (const name of names) if (!FORMATTERS[name]) throw unknownFormat(name);
  if (names.includes('json')) {
    const rules = registry.rules.map((rule) => ({
      id: rule.meta.id,
      severity: rule.meta.severity,
      description: rule.meta.description,
      ...(rule.meta.type ? { type: rule.meta.type } : {}),
      kinds: rule.meta.kinds,
      docs: { url: docsUrlOf(rule.meta) ?? null },
    }));
    io.stdout(`${JSON.stringify(rules, null, 2)}\n`);
    return;
  }
  const other = names.filter((name) => name !== 'friendly');
  if (other.length) io.stderr(`kubelint: --list-rules prints a table, or JSON with --format json; --format ${other.join(', ')} does not apply to it\n`);
  for (const rule of registry.rules) {
    io.stdout(`${rule.meta.id.padEnd(36)} ${rule.meta.severity.padEnd(5)}  ${rule.meta.description}\n${''.padEnd(44)}${docsUrlOf(rule.meta) ?? ''}\n`);
  }
}

/** --print-config FILE: what a run would use for FILE, as JSON (ESLint's --print-config). */
async function printConfig(io: CliIo, file: string, run: Awaited<ReturnType<typeof resolveRun>>, values: CliValues): Promise<void> {
  const absolute = path.resolve(io.cwd, file);
  const rules: Record<string, [SeverityName, Record<string, unknown>]> = {};
  for (const rule of run.engine.registry.rules) {
    const id = rule.meta.id;
    const severity = run.engine.rules[id] ?? rule.meta.severity;
    rules[id] = [severity, { ...ruleOptionsFor(rule, run.engine) }];
  }
  const settings = {
    file: absolute,
    configFiles: run.config ? [run.config.file] : [],
    kubernetesVersion: formatKubeVersion(run.kubeVersion),
    staticPod: run.engine.staticPods.matches(absolute),
    ignoredBy:
      ignorePatternFor(absolute, {
        cwd: io.cwd,
        ignore: run.ignore,
        ...(values['ignore-pattern'] ? { ignorePatterns: values['ignore-pattern'] } : {}),
        ...(values['no-ignore'] ? { noIgnore: true } : {}),
      }) ?? null,
    staticPodPaths: run.staticPodGlobs,
    ignorePatterns: run.ignore.patterns,
    ignorePatternsBase: run.ignore.base,
    rules,
  };
  io.stdout(`${JSON.stringify(settings, null, 2)}\n`);
}

/**
 * A progress line on a terminal's standard error for runs longer than about a second:
 * files done of total and objects per second, redrawn at most ten times a second and
 * cleared at the end, so it never stays in the output and never reaches a pipe or a CI log.
 */
class Progress {
  private readonly start = Date.now();
  private lastDraw = 0;
  private shown = false;

  constructor(
    private readonly io: CliIo,
    private readonly delayMs: number,
    private readonly width: number,
  ) {}

  private objects = 0;

  readonly onFileDone = (done: number, total: number, objects: number): void => {
    this.objects += objects;
    const now = Date.now();
    const elapsed = now - this.start;
    if (elapsed < this.delayMs || (this.shown && now - this.lastDraw < 100)) return;
    this.lastDraw = now;
    this.shown = true;
    const rate = elapsed > 0 ? Math.round((this.objects * 1000) / elapsed) : this.objects;
    const line = `kubelint: ${done}/${total} files, ${rate} objects/s`.slice(0, Math.max(this.width - 1, 10));
    this.io.stderr(`\r\u001b[K${line}`);
  };

  finish(): void {
    if (this.shown) this.io.stderr('\r\u001b[K');
    this.shown = false;
  }
}

/** How long a run goes before its progress line shows (KUBELINT_PROGRESS_DELAY_MS sets it, for tests). */
function progressDelay(env: Readonly<Record<string, string | undefined>>): number {
  const given = env.KUBELINT_PROGRESS_DELAY_MS;
  return given !== undefined && /^\d+$/.test(given) ? Number(given) : 1000;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  try {
    const { values, positionals, versionOption } = parseCli(argv);
    const env = io.env ?? {};
    if (values.help) {
      io.stdout(`${helpText()}\n`);
      return 0;
    }
    if (values.version) {
      io.stdout(`${VERSION}\n`);
      return 0;
    }
    const targets = outputTargets(values.format, values['output-file']);
    let maxWarnings = -1;
    if (values['max-warnings'] !== undefined) {
      const text = values['max-warnings'];
      maxWarnings = /^\s*-?\d+\s*$/.test(text) ? Number(text) : NaN;
      if (!Number.isInteger(maxWarnings) || maxWarnings < -1)
        throw new UsageError(`--max-warnings takes a whole number of warnings (0 or more; -1 for no limit), not "${text}"`);
    }
    cacheStrategy(values);
    if (values.config && values['no-config']) throw new UsageError('--config and --no-config cannot be used together');
    const rules: Record<string, SeverityName> = Object.fromEntries((values.rule ?? []).map(parseRuleOverride));
    const run = await resolveRun({
      registry: BUILT_IN,
      cwd: io.cwd,
      config: values['no-config'] ? false : values.config,
      ...(values['kubernetes-version'] !== undefined ? { kubernetesVersion: values['kubernetes-version'], versionOption } : {}),
      staticPodPaths: values['static-pod-path'] ?? [],
      rules,
      ...(values.strict !== undefined ? { strict: values.strict } : {}),
      schemaDirs: values['schema-dir'] ?? [],
      ...(values['schema-missing'] !== undefined ? { schemaMissing: parseSchemaMissing(values['schema-missing']) } : {}),
    });
    for (const notice of run.notices) io.stderr(`${notice}\n`);
    // After the configuration: its plugins' rules are listed too.
    if (values['list-rules']) {
      listRules(io, values.format, run.engine.registry);
      return 0;
    }
    if (values['print-config'] !== undefined) {
      await printConfig(io, values['print-config'], run, values);
      return 0;
    }
    const color = colorEnabled(values.color, env, io.stdoutIsTTY ?? false);
    // Wrapped only on a terminal: piped output stays one line per message, for grep.
    const width = io.stdoutIsTTY ? (io.columns ?? 80) : undefined;
    const progress = io.stderrIsTTY ? new Progress(io, progressDelay(env), io.columns ?? 80) : undefined;

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
    let fixedStdinText: string | undefined;
    if (values.fix && values['fix-dry-run']) throw new UsageError('--fix and --fix-dry-run cannot be used together');
    const fixOptions = fixTypeFilter(values['fix-type'], values.fix === true || values['fix-dry-run'] === true, run.engine.registry);
    const fixable = (result: LintResult) => result.messages.some((message) => message.fix && (fixOptions.filter?.(message) ?? true));
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
      if (values.fix) throw new UsageError('--fix cannot write to standard input; use --fix-dry-run, which prints the fixed text');
      const linted =
        'problem' in read
          ? [unreadableResult(filePath, read.problem)]
          : values['fix-dry-run']
            ? [{ ...fixText(read.text, filePath, engine, fixOptions) }]
            : lintRendered(read.text, name, chartDir, engine).map((result) => (result.filePath === name ? { ...result, filePath } : result));
      if (values['fix-dry-run']) {
        const fixed = linted[0]!;
        fixedStdinText = 'problem' in read ? '' : (fixed.output ?? read.text);
      }
      const skipped = linted.filter((result) => result.skipped).map((result) => ({ file: filePath, reason: result.skipped as NotAManifestReason, explicit: true }));
      for (const entry of skipped) debug?.(`skipped ${entry.file}: not a manifest, ${REASON_TEXT[entry.reason]}`);
      outcome = finishRun(resolveRunFacts(linted.filter((result) => !result.skipped), engine), skipped, [], debug ? { debug } : {});
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
      // No result holds its file's text: each file is read again as it is printed.
      const fileEngine = { ...run.engine, sourcesOnDisk: true };
      const cache = values.cache ? openCache(values, fileEngine, io) : undefined;
      try {
        outcome = await lintRun(found, fileEngine, {
          ...(debug ? { debug } : {}),
          ...(progress ? { onFileDone: progress.onFileDone } : {}),
          ...(cache ? { cache } : {}),
          ...(io.tuneMemory ? { onLinting: io.tuneMemory } : {}),
        });
      } finally {
        progress?.finish();
      }
      if (values.fix || values['fix-dry-run']) {
        const write = values.fix === true;
        // Only files with something to fix are read again; Helm-rendered results have no file to write.
        const discovered = new Set(found.files);
        const fixEngine = { ...run.engine, skipNonManifests: true, ...(found.patchFiles.length ? { patchFiles: new Set(found.patchFiles) } : {}) };
        outcome = {
          ...outcome,
          results: outcome.results.map((result) =>
            discovered.has(result.filePath) && fixable(result) ? finishRun([fixFile(result.filePath, fixEngine, write, fixOptions)], [], []).results[0]! : result,
          ),
        };
        // ESLint's rule: a file --fix rewrote is linted again next time, never replayed.
        if (write) for (const result of outcome.results) if (result.output !== undefined) cache?.store.forget(result.filePath);
      }
      cache?.store.save();
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
      // A report file is never coloured or wrapped: it is read later, elsewhere.
      const toFile = target.file !== undefined;
      const chunks = formatChunks(target.format, results, {
        rulesMeta: rulesMetaOf(run.engine.registry),
        cwd: io.cwd,
        version: VERSION,
        color: !toFile && color,
        ...(!toFile && width !== undefined ? { width } : {}),
        stats: outcome.stats,
      });
      if (target.file) writeReport(path.resolve(io.cwd, target.file), target.file, chunks);
      else if (fixedStdinText !== undefined) printReport({ ...io, stdout: io.stderr }, chunks);
      else printReport(io, chunks);
    }

    if (fixedStdinText !== undefined) io.stdout(fixedStdinText);
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

function cacheStrategy(values: CliValues): CacheStrategy {
  const given = values['cache-strategy'] ?? 'metadata';
  if (!(CACHE_STRATEGIES as readonly string[]).includes(given)) {
    const suggestion = closest(given, [...CACHE_STRATEGIES]);
    throw new UsageError(`--cache-strategy takes metadata or content, not "${given}"${suggestion ? ` (did you mean ${suggestion}?)` : ''}`);
  }
  return given as CacheStrategy;
}

/** --cache: the cache file (one warning if it is unusable) and the run's settings key. */
function openCache(values: CliValues, engine: Awaited<ReturnType<typeof resolveRun>>['engine'], io: CliIo) {
  const strategy = cacheStrategy(values);
  const location = resolveCacheLocation(values['cache-location'], io.cwd);
  // The key is of the engine lintRun lints with (it always skips files that are not manifests).
  const runKey = settingsKey({ ...engine, skipNonManifests: true }, strategy);
  return { store: new LintCache({ location, strategy, runKey, cwd: io.cwd, warn: (message) => io.stderr(`${message}\n`) }), runKey, strategy };
}

/**
 * --fix-type as ESLint has it: a comma list, repeatable; only fixes of rules whose meta.type
 * is listed are applied (a rule without a type is then left alone).
 */
function fixTypeFilter(given: readonly string[] | undefined, fixing: boolean, registry: RuleRegistry): FixOptions {
  if (given === undefined) return {};
  if (!fixing) throw new UsageError('--fix-type goes with --fix or --fix-dry-run');
  const types = new Set<RuleType>();
  for (const word of given.flatMap((text) => text.split(',')).map((text) => text.trim())) {
    if (!(RULE_TYPES as readonly string[]).includes(word)) {
      const suggestion = closest(word, RULE_TYPES);
      throw new UsageError(`--fix-type takes ${RULE_TYPES.join(', ')} (comma-separated), not "${word}"${suggestion ? ` (did you mean ${suggestion}?)` : ''}`);
    }
    types.add(word as RuleType);
  }
  return {
    filter: (message) => {
      const type = message.ruleId === null ? undefined : registry.byId.get(message.ruleId)?.meta.type;
      return type !== undefined && types.has(type);
    },
  };
}

function parseSchemaMissing(text: string): SeverityName {
  if (['off', 'warn', 'error', '0', '1', '2'].includes(text)) return severityName(text);
  const suggestion = closest(text, ['off', 'warn', 'error']);
  throw new UsageError(`--schema-missing takes off, warn or error, not "${text}"${suggestion ? ` (did you mean ${suggestion}?)` : ''}`);
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
  const changes = { messages: result.messages.filter((message) => message.severity === 2), warningCount: 0, fixableWarningCount: 0 };
  // A result reading its source from disk stays one: read here, every file's text would be held.
  return result instanceof ResultReadFromDisk ? result.with(changes) : { ...result, ...changes };
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

/** A path's file, links followed; undefined when there is none (or it cannot be looked at). */
function statOrUndefined(file: string): Stats | undefined {
  try {
    return statSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** Which file it is: every spelling of a path, and every link to the file, agree on it. */
function identityOf(stats: Stats): string {
  return `${stats.dev}:${stats.ino}`;
}

/**
 * Refuses, before anything is linted or written, a report file that is an input (by any
 * spelling or through a symbolic link), two reports to one file, and a file whose
 * directory does not exist.
 */
function checkOutputs(targets: readonly OutputTarget[], cwd: string, inputs: readonly string[]): void {
  const files = targets.filter((target) => target.file !== undefined);
  if (files.length === 0) return;
  // The inputs' identities are asked only when a report would replace a regular file: most
  // reports go to a new file or to /dev/null, and a repository has many inputs.
  let inputIdentities: Set<string> | undefined;
  const isInput = (absolute: string, report: Stats | undefined): boolean => {
    // No file there yet: only a name given to standard input (--stdin-filename) can be it.
    if (!report) return inputs.some((input) => path.resolve(cwd, input) === absolute);
    // A device, FIFO or socket is written through, never replaced: no manifest is lost.
    if (!report.isFile()) return false;
    inputIdentities ??= new Set(
      inputs.flatMap((input) => {
        const stats = statOrUndefined(path.resolve(cwd, input));
        return stats?.isFile() ? [identityOf(stats)] : [];
      }),
    );
    return inputIdentities.has(identityOf(report));
  };
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
    // What is at the report's path now, links followed.
    const report = statOrUndefined(absolute);
    if (isInput(absolute, report)) {
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
    if (report?.isDirectory()) throw new UsageError(`cannot write the report to ${name}: it is a directory`);
  }
}

/**
 * Writes a report to a new file beside `absolute` and renames it over the path: the path
 * itself is replaced, so a symbolic link there is replaced, never followed to its target,
 * and readers never see half a report.
 */
function writeReport(absolute: string, name: string, chunks: Iterable<string>): void {
  // A device, FIFO or socket (-o /dev/null, /dev/stdout, a named pipe) is written through:
  // replacing it with a file would break it for every other program (/dev/null included).
  const target = statSync(absolute, { throwIfNoEntry: false });
  if (target && !target.isFile() && !target.isDirectory()) {
    let fd: number | undefined;
    try {
      fd = openSync(absolute, 'w');
      for (const text of batched(chunks)) writeSync(fd, stripAnsi(text));
    } catch (error) {
      throw new Error(`cannot write the report to ${name}: ${ioReason(error)}`);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
    return;
  }
  try {
    writeAtomically(absolute, (function* () {
      for (const text of batched(chunks)) yield stripAnsi(text);
    })());
  } catch (error) {
    throw new Error(`cannot write the report to ${name}: ${ioReason(error)}`);
  }
}

function stripAnsi(text: string): string {
  // Most reports (JSON, SARIF) hold no escape at all: one scan says so.
  if (!text.includes('\u001b')) return text;
  return text.replace(/\u001b\[[0-9;]*m/g, '').replace(/\u001b\]1337;[^\u0007]*\u0007/g, '');
}
