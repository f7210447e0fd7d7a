/**
 * --schema-dir: JSON schemas for kinds kubelint does not bundle (custom resources), in
 * kubeconform's file layout: {kind}-{group}-{version}.json in lower case, where group is
 * the first label of the API group (cert-manager.io -> cert-manager) or the whole group;
 * {kind}-{version}.json for the core group.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type AjvModule from 'ajv';
import type { ValidateFunction } from 'ajv';

export interface CustomValidator {
  validate: ValidateFunction;
  schema: Record<string, unknown>;
  file: string;
}

export class CustomSchemas {
  private ajv: AjvModule.default | undefined;
  private readonly cache = new Map<string, CustomValidator | null>();

  constructor(private readonly dirs: readonly string[]) {}

  static candidates(apiVersion: string, kind: string): string[] {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
    const k = kind.toLowerCase();
    if (!group) return [`${k}-${version}.json`];
    const g = group.toLowerCase();
    return [...new Set([`${k}-${g.split('.')[0]}-${version}.json`, `${k}-${g}-${version}.json`])];
  }

  find(apiVersion: string, kind: string): CustomValidator | undefined {
    const key = `${apiVersion}/${kind}`;
    if (this.cache.has(key)) return this.cache.get(key) ?? undefined;
    let found: CustomValidator | null = null;
    outer: for (const dir of this.dirs) {
      for (const name of CustomSchemas.candidates(apiVersion, kind)) {
        const file = path.join(dir, name);
        if (!existsSync(file)) continue;
        const schema = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
        delete schema.$schema; // draft-04 style ids would make ajv refuse the schema; the keywords are the same
        // ajv is loaded only when a run actually uses --schema-dir: it costs ~15 ms at startup.
        const Ajv = (createRequire(import.meta.url)('ajv') as typeof AjvModule).default;
        this.ajv ??= new Ajv({ allErrors: true, strict: false, validateFormats: false });
        found = { validate: this.ajv.compile(schema), schema, file };
        break outer;
      }
    }
    this.cache.set(key, found);
    return found ?? undefined;
  }
}
