/**
 * --schema-dir: JSON schemas for kinds kubelint does not bundle (custom resources), in
 * kubeconform's file layout: {kind}-{group}-{version}.json in lower case, where group is
 * the first label of the API group (cert-manager.io -> cert-manager) or the whole group;
 * {kind}-{version}.json for the core group.
 *
 * The kind and apiVersion come from the manifest, so from anyone: the file name is built
 * only from a kind, group and version that Kubernetes itself would accept (none of them can
 * hold `/` or `..`), the file must resolve to a regular file inside the directory and be
 * under a size cap, and a problem message never quotes the file's content.
 */
import { closeSync, fstatSync, openSync, readFileSync, realpathSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type AjvModule from 'ajv';
import type { ValidateFunction } from 'ajv';
import type * as Re2Module from 're2js';

const requireModule = createRequire(import.meta.url);
let re2: typeof Re2Module | undefined;

export interface CustomValidator {
  validate: ValidateFunction;
  schema: Record<string, unknown>;
  file: string;
}

/** A schema file that exists for the kind but cannot be used: what to tell the user. */
export interface SchemaProblem {
  file: string;
  problem: string;
}

/** Schemas are a few hundred KB at most; a bigger file is not a schema. */
export const MAX_SCHEMA_BYTES = 5 * 1024 * 1024;

/**
 * `pattern` and `patternProperties` run on RE2 (re2js): linear time in the input, where
 * JavaScript's backtracking RegExp took 46 s on `^(a+)+$` and 30 characters. The API server
 * evaluates CRD patterns with Go's regexp, which is RE2 too, so the syntax is the same.
 */
function linearRegExp(pattern: string): { test(input: string): boolean } {
  // Loaded on first use, like ajv: only a --schema-dir schema with a pattern needs it.
  re2 ??= requireModule('re2js') as typeof Re2Module;
  return re2.RE2JS.compile(pattern);
}
linearRegExp.code = 'require("re2js").RE2JS.compile';

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A kind as CRD validation allows it (its lower case is a DNS-1035 label), so safe in a file name. */
export function isValidKind(kind: string): boolean {
  return kind.length <= 63 && DNS1035_LABEL.test(kind.toLowerCase());
}

/** An API group: a DNS-1123 subdomain. */
export function isValidGroup(group: string): boolean {
  return group.length <= 253 && group.split('.').every((label) => label.length <= 63 && DNS1123_LABEL.test(label));
}

/** A version name: a DNS-1035 label (v1, v1beta1, v2alpha3). */
export function isValidVersion(version: string): boolean {
  return version.length <= 63 && DNS1035_LABEL.test(version);
}

export class CustomSchemas {
  private ajv: AjvModule.default | undefined;
  private readonly cache = new Map<string, CustomValidator | SchemaProblem | null>();

  constructor(private readonly dirs: readonly string[]) {}

  /** The file names to look for; none when the kind, group or version could not be a real one. */
  static candidates(apiVersion: string, kind: string): string[] {
    const parts = apiVersion.split('/');
    if (parts.length > 2) return [];
    const [group, version] = parts.length === 2 ? [parts[0]!.toLowerCase(), parts[1]!] : ['', parts[0]!];
    if (!isValidKind(kind) || !isValidVersion(version) || (group !== '' && !isValidGroup(group))) return [];
    const k = kind.toLowerCase();
    if (!group) return [`${k}-${version}.json`];
    return [...new Set([`${k}-${group.split('.')[0]}-${version}.json`, `${k}-${group}-${version}.json`])];
  }

  find(apiVersion: string, kind: string): CustomValidator | SchemaProblem | undefined {
    const key = `${apiVersion}/${kind}`;
    if (this.cache.has(key)) return this.cache.get(key) ?? undefined;
    let found: CustomValidator | SchemaProblem | null = null;
    outer: for (const dir of this.dirs) {
      for (const name of CustomSchemas.candidates(apiVersion, kind)) {
        const file = path.join(dir, name);
        const read = readSchemaFile(dir, file);
        if (read === undefined) continue;
        found = typeof read === 'string' ? { file, problem: read } : this.compile(file, read);
        break outer;
      }
    }
    this.cache.set(key, found);
    return found ?? undefined;
  }

  private compile(file: string, text: Buffer): CustomValidator | SchemaProblem {
    let schema: Record<string, unknown>;
    try {
      schema = JSON.parse(text.toString('utf8')) as Record<string, unknown>;
    } catch (error) {
      // The parser's message quotes the text around the error: give only the position.
      const at = /at position (\d+)/.exec(error instanceof Error ? error.message : '');
      return { file, problem: `it is not valid JSON${at ? ` (${lineColumn(text.toString('utf8'), Number(at[1]))})` : ''}` };
    }
    if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
      return { file, problem: 'it is not a JSON schema: the file must hold one JSON object' };
    }
    const remote = remoteRef(schema);
    if (remote !== undefined) {
      return {
        file,
        problem: `it refers to ${quote(remote)}, and kubelint never fetches schemas over the network: put that schema into this file (under definitions) and refer to it as "#/definitions/..."`,
      };
    }
    delete schema.$schema; // draft-04 style ids would make ajv refuse the schema; the keywords are the same
    // ajv is loaded only when a run actually uses --schema-dir: it costs ~15 ms at startup.
    // It never loads a schema by itself: without a loadSchema option, an unknown $ref is an error.
    const Ajv = (requireModule('ajv') as typeof AjvModule).default;
    this.ajv ??= new Ajv({ allErrors: true, strict: false, validateFormats: false, code: { regExp: linearRegExp } });
    try {
      return { validate: this.ajv.compile(schema), schema, file };
    } catch (error) {
      return { file, problem: compileProblem(error) };
    }
  }
}

/**
 * The file's bytes, undefined when there is no such file, or a problem: it resolves outside
 * the schema directory (a symlink), is not a regular file, or is over the size cap.
 */
function readSchemaFile(dir: string, file: string): Buffer | string | undefined {
  let real: string;
  let realDir: string;
  try {
    real = realpathSync(file);
    realDir = realpathSync(dir);
  } catch {
    return undefined;
  }
  if (!real.startsWith(realDir + path.sep)) {
    return 'it resolves to a file outside the schema directory (a symbolic link?), and kubelint reads schemas only from inside it';
  }
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer.
    fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return `it cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return 'it is not a regular file';
    if (stat.size > MAX_SCHEMA_BYTES) return `it is larger than ${MAX_SCHEMA_BYTES / 1024 / 1024} MB, too large for a schema`;
    return readFileSync(fd);
  } catch (error) {
    return `it cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  } finally {
    closeSync(fd);
  }
}

/** The first `$ref` that names another document by URL (http, https, or any scheme but a fragment). */
function remoteRef(schema: unknown): string | undefined {
  const stack: unknown[] = [schema];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      stack.push(...node);
      continue;
    }
    const record = node as Record<string, unknown>;
    const ref = record.$ref;
    if (typeof ref === 'string' && /^[a-z][a-z0-9+.-]*:/i.test(ref)) return ref;
    for (const value of Object.values(record)) if (value !== null && typeof value === 'object') stack.push(value);
  }
  return undefined;
}

/** One line on why ajv could not compile the schema. */
function compileProblem(error: unknown): string {
  if (error instanceof RangeError) {
    return 'its $ref references form a cycle (a $ref that leads back to itself without a schema in between)';
  }
  const err = error as { missingRef?: string; message?: string; constructor?: { name?: string } };
  if (typeof err.missingRef === 'string') {
    return `its $ref ${quote(err.missingRef)} cannot be resolved: kubelint resolves only references inside the same file ("#/definitions/...")`;
  }
  const message = String(err.message ?? error).split('\n')[0]!;
  if (/^schema is invalid/.test(message)) return `it is not a valid JSON schema: ${truncate(message.replace(/^schema is invalid: /, ''))}`;
  if (/RE2JS|regexp/i.test(err.constructor?.name ?? '') || /parsing regexp/.test(message)) {
    return `one of its patterns is not supported: ${truncate(message)}. kubelint runs patterns as the API server does, with RE2 syntax (no lookaround, no backreferences)`;
  }
  return `it cannot be compiled: ${truncate(message)}`;
}

function quote(text: string): string {
  return JSON.stringify(truncate(text));
}

function truncate(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function lineColumn(text: string, offset: number): string {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return `line ${line}, column ${offset - start + 1}`;
}
