/**
 * kubelint [options] [paths...]: the command line. Exit codes follow ESLint:
 * 0 clean (warnings allowed), 1 errors or too many warnings, 2 usage or I/O problems.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { defaultEngineOptions, type EngineOptions } from './engine.js';
import { lintPaths } from './lint.js';
import { lintText } from './engine.js';
import { UsageError } from './discover.js';
import { FORMATTERS } from './formatters/index.js';
import { BUNDLED_MINORS, NEWEST_BUNDLED, formatKubeVersion, parseKubeVersion } from './kube-version.js';
import { DEFAULT_STATIC_POD_GLOBS, StaticPodMatcher } from './static-pods.js';
import { RULES } from '../rules/index.js';
import { ruleDocsUrl } from './rule.js';
import { isBundledVersion } from './schema/registry.js';
import type { LintResult } from './types.js';

export const VERSION: string = JSON.parse(
  readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'package.json'), 'utf8'),
).version;

const HELP = `kubelint [options] [paths...]

Lints Kubernetes DaemonSets and static pods; reports every problem at its line and column.
Paths are files, directories (searched for *.yaml, *.yml, *.json; .gitignore honoured) or
globs; the default is ".". Use "-" to read standard input.

Options:
  -f, --format NAME          Output format: ${Object.keys(FORMATTERS).join(', ')} (default: friendly)
  -o, --output-file FILE     Write the report to FILE instead of standard output
      --kube-version X.Y     Kubernetes version to check against (default: ${formatKubeVersion(NEWEST_BUNDLED)};
                             bundled: 1.${BUNDLED_MINORS[0]} to 1.${BUNDLED_MINORS[BUNDLED_MINORS.length - 1]})
      --static-pod-path GLOB Also treat files matching GLOB as static pods (repeatable);
                             always: ${DEFAULT_STATIC_POD_GLOBS.join(', ')}
      --no-strict            Allow fields the schema does not know (default: unknown fields
                             are errors, as kubectl >= 1.27's strict validation)
      --schema-dir DIR       Also validate against JSON schemas in DIR, kubeconform layout
                             {kind}-{group}-{version}.json (repeatable; for custom resources)
      --stdin-filename PATH  The file name to report (and match static pod globs) for "-"
      --max-warnings N       Exit 1 when there are more than N warnings
      --quiet                Report errors only
      --list-rules           List the rules and exit
  -h, --help                 Show this help and exit
  -v, --version              Show the version and exit

Exit codes: 0 no errors, 1 errors or too many warnings, 2 bad usage or no usable input.`;

interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => string;
  cwd: string;
}

function parseCli(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string', short: 'f' },
      'output-file': { type: 'string', short: 'o' },
      'kube-version': { type: 'string' },
      'static-pod-path': { type: 'string', multiple: true },
      'stdin-filename': { type: 'string' },
      'no-strict': { type: 'boolean' },
      'schema-dir': { type: 'string', multiple: true },
      'max-warnings': { type: 'string' },
      quiet: { type: 'boolean' },
      'list-rules': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  return { values, positionals };
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parseCli>;
  try {
    parsed = parseCli(argv);
  } catch (error) {
    io.stderr(`kubelint: ${(error as Error).message.split('\n')[0]} (see kubelint --help)\n`);
    return 2;
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
    for (const rule of RULES) {
      io.stdout(`${rule.meta.id.padEnd(36)} ${rule.meta.severity.padEnd(5)}  ${rule.meta.description}\n${''.padEnd(44)}${ruleDocsUrl(rule.meta.id)}\n`);
    }
    return 0;
  }
  try {
    const format = values.format ?? 'friendly';
    const formatter = FORMATTERS[format];
    if (!formatter) throw new UsageError(`unknown format "${format}"; use one of ${Object.keys(FORMATTERS).join(', ')}`);
    const kubeVersion = values['kube-version'] ? parseKubeVersion(values['kube-version']) : NEWEST_BUNDLED;
    if (!kubeVersion) throw new UsageError(`--kube-version takes a version like 1.${BUNDLED_MINORS.at(-1)}, not "${values['kube-version']}"`);
    let maxWarnings = -1;
    if (values['max-warnings'] !== undefined) {
      maxWarnings = Number(values['max-warnings']);
      if (!Number.isInteger(maxWarnings) || maxWarnings < -1)
        throw new UsageError(`--max-warnings takes a whole number, not "${values['max-warnings']}"`);
    }
    const schemaDirs = (values['schema-dir'] ?? []).map((dir) => path.resolve(io.cwd, dir));
    for (const dir of schemaDirs) {
      if (!existsSync(dir)) throw new UsageError(`--schema-dir: no such directory: ${dir}`);
    }
    if (!isBundledVersion(kubeVersion)) {
      io.stderr(
        `kubelint: no bundled schemas for Kubernetes ${formatKubeVersion(kubeVersion)} (bundled: 1.${BUNDLED_MINORS[0]} to 1.${BUNDLED_MINORS.at(-1)}); schema validation is skipped\n`,
      );
    }
    const engine: EngineOptions = defaultEngineOptions({
      kubeVersion,
      staticPods: new StaticPodMatcher([...DEFAULT_STATIC_POD_GLOBS, ...(values['static-pod-path'] ?? [])], io.cwd),
      ruleOptions: { schema: { strict: !values['no-strict'], schemaDirs } },
    });

    const paths = positionals.length ? positionals : ['.'];
    const usesStdin = paths.includes('-');
    if (usesStdin && paths.length > 1) throw new UsageError('"-" (standard input) cannot be combined with other paths');
    let results: LintResult[];
    if (usesStdin) {
      const filePath = path.resolve(io.cwd, values['stdin-filename'] ?? '<stdin>');
      const name = values['stdin-filename'] ?? '<stdin>';
      results = [{ ...lintText(io.readStdin(), values['stdin-filename'] ?? name, engine), filePath }];
    } else {
      if (values['stdin-filename']) throw new UsageError('--stdin-filename goes with "-" (standard input)');
      results = await lintPaths(paths, engine, { cwd: io.cwd });
      if (results.length === 0)
        throw new UsageError(`no manifests (*.yaml, *.yml, *.json) found in ${paths.join(', ')}`);
    }
    if (values.quiet) results = results.map(errorsOnly);

    const output = formatter(results, { cwd: io.cwd, version: VERSION });
    const outputFile = values['output-file'];
    if (outputFile) {
      writeFileSync(path.resolve(io.cwd, outputFile), stripAnsi(output));
    } else if (output) io.stdout(output.endsWith('\n') ? output : `${output}\n`);

    const errors = results.reduce((sum, result) => sum + result.errorCount, 0);
    const warnings = results.reduce((sum, result) => sum + result.warningCount, 0);
    if (errors > 0) return 1;
    if (maxWarnings >= 0 && warnings > maxWarnings) {
      io.stderr(`kubelint found too many warnings (maximum: ${maxWarnings}).\n`);
      return 1;
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`kubelint: ${error.message}\n`);
      return 2;
    }
    const err = error as NodeJS.ErrnoException;
    io.stderr(`kubelint: ${err.code ? `${err.code}: ` : ''}${err.message ?? String(error)}\n`);
    return 2;
  }
}

function errorsOnly(result: LintResult): LintResult {
  const messages = result.messages.filter((message) => message.severity === 2);
  return { ...result, messages, warningCount: 0 };
}

function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, '').replace(/\u001b\]1337;[^\u0007]*\u0007/g, '');
}
