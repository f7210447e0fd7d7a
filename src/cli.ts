/**
 * kubelint [options] [paths...]: the command line. Exit codes follow ESLint:
 * 0 clean (warnings allowed), 1 errors or too many warnings, 2 usage or I/O problems.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { lintPaths } from './lint.js';
import { lintText } from './engine.js';
import { UsageError } from './discover.js';
import { ConfigError } from './config.js';
import { FORMATTERS } from './formatters/index.js';
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

Information:
      --list-rules           List the rules (with --format json: as JSON) and exit
  -h, --help                 Show this help and exit
  -v, --version              Show the version and exit

Exit codes: 0 no errors, 1 errors or too many warnings, 2 bad usage or no usable input.`;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => string;
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

    const paths = positionals.length ? positionals : ['.'];
    const usesStdin = paths.includes('-');
    if (usesStdin && paths.length > 1) throw new UsageError('"-" (standard input) cannot be combined with other paths');
    let results: LintResult[];
    if (usesStdin) {
      const name = values['stdin-filename'] ?? '<stdin>';
      results = [{ ...lintText(io.readStdin(), name, run.engine), filePath: path.resolve(io.cwd, name) }];
    } else {
      if (values['stdin-filename']) throw new UsageError('--stdin-filename goes with "-" (standard input)');
      results = await lintPaths(paths, run.engine, { cwd: io.cwd, ignore: run.ignore });
      if (results.length === 0)
        throw new UsageError(`no manifests (*.yaml, *.yml, *.json) found in ${paths.join(', ')}`);
    }
    if (values.quiet) results = results.map(errorsOnly);

    for (const target of targets) {
      const output = FORMATTERS[target.format]!(results, { cwd: io.cwd, version: VERSION });
      if (target.file) writeFileSync(path.resolve(io.cwd, target.file), stripAnsi(output));
      else if (output) io.stdout(output.endsWith('\n') ? output : `${output}\n`);
    }

    const errors = results.reduce((sum, result) => sum + result.errorCount, 0);
    const warnings = results.reduce((sum, result) => sum + result.warningCount, 0);
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

function errorsOnly(result: LintResult): LintResult {
  const messages = result.messages.filter((message) => message.severity === 2);
  return { ...result, messages, warningCount: 0 };
}

function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, '').replace(/\u001b\]1337;[^\u0007]*\u0007/g, '');
}
