/** Runs the built `kubelint` binary as a user would, and captures what it prints. */
import { closeSync, openSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The executable package.json names: the bundled CLI, as installed users run it. */
export const BIN = path.join(
  PROJECT_ROOT,
  (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin.kubelint!,
);

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  /** Text on standard input (default: empty). */
  input?: string | Buffer;
  /** A file (or device, or directory) opened as standard input instead of `input`. */
  stdinFrom?: string;
  env?: NodeJS.ProcessEnv;
  /** Run as this user and group (a test running as root drops privileges with it). */
  uid?: number;
  gid?: number;
}

export function runCli(args: string[], options: CliOptions = {}): CliRun {
  const stdin = options.stdinFrom === undefined ? undefined : openSync(options.stdinFrom, 'r');
  try {
    const result = spawnSync(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? PROJECT_ROOT,
      ...(stdin === undefined ? { input: options.input ?? '' } : { stdio: [stdin, 'pipe', 'pipe'] }),
      encoding: 'utf8',
      env: { ...process.env, FORCE_COLOR: '0', ...options.env },
      timeout: 60_000,
      maxBuffer: 256 * 1024 * 1024,
      ...(options.uid !== undefined ? { uid: options.uid, gid: options.gid ?? options.uid } : {}),
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    if (stdin !== undefined) closeSync(stdin);
  }
}

/** Runs `kubelint ARGS` through bash, for redirections a spawn cannot express (`<&-`, `yes |`). */
export function runCliInShell(shellArgs: string, options: { cwd?: string; before?: string } = {}): CliRun {
  const command = `${options.before ?? ''}${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} ${shellArgs}`;
  const result = spawnSync('bash', ['-c', command], {
    cwd: options.cwd ?? PROJECT_ROOT,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0' },
    timeout: 60_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The unprivileged user tests run kubelint as to meet EACCES (root reads everything). */
export const NOBODY = 65534;

/** Options that make runCli meet file permissions: as nobody when the tests run as root. */
export function unprivileged(): Pick<CliOptions, 'uid' | 'gid'> {
  return process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {};
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * Runs `kubelint ARGS` in a pseudo-terminal of the given width (util-linux `script`), as a
 * user at a terminal would: standard output and standard error are both the terminal, so
 * `output` holds both, with the terminal's CR LF line ends turned back into LF.
 */
export function runInTerminal(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; columns?: number } = {}): { status: number | null; output: string } {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The colour decision is under test: nothing inherited may make it.
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  delete env.CI;
  Object.assign(env, { TERM: 'xterm-256color' }, options.env);
  const command = `stty cols ${options.columns ?? 80} rows 50; exec ${[process.execPath, BIN, ...args].map(shellQuote).join(' ')}`;
  const result = spawnSync('script', ['-qec', command, '/dev/null'], {
    cwd: options.cwd ?? PROJECT_ROOT,
    encoding: 'utf8',
    env,
    timeout: 60_000,
    input: '',
  });
  return { status: result.status, output: result.stdout.replace(/\r\n/g, '\n') };
}

export const HAS_SCRIPT = spawnSync('script', ['--version']).status === 0;
