/**
 * npm run schemas: reads the upstream Kubernetes OpenAPI (swagger 2.0) specs in
 * ../shared/kubernetes-openapi/v1.NN.swagger.json.gz and writes, into schemas/:
 *
 * - definitions.json: every definition with only what validation needs (descriptions and
 *   patch/list metadata dropped). A definition that differs between versions is stored
 *   once per distinct shape: { "<name>": [shape0, shape1, ...] }.
 * - index.json: the names, and for each Kubernetes version which shape of each
 *   definition it uses and which definition serves each apiVersion/kind.
 *
 * The output is deterministic: the same specs always give the same bytes.
 * Usage: node dist/scripts/generate-schemas.js [SPEC_DIR] [OUT_DIR]
 */
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SPEC_DIR = process.argv[2] ?? path.resolve(ROOT, '..', 'shared', 'kubernetes-openapi');
const OUT_DIR = process.argv[3] ?? path.join(ROOT, 'schemas');

/** Keywords validation uses; everything else (descriptions, patch strategies...) is dropped. */
const KEEP = new Set([
  '$ref',
  'type',
  'format',
  'properties',
  'required',
  'items',
  'additionalProperties',
  'enum',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-int-or-string',
  'x-kubernetes-embedded-resource',
]);
/** Only formats that change what is accepted are kept. */
const KEEP_FORMATS = new Set(['int-or-string']);

function strip(node: Json): Json {
  if (Array.isArray(node)) return node.map(strip);
  if (node === null || typeof node !== 'object') return node;
  const out: JsonObject = {};
  for (const key of Object.keys(node).sort()) {
    if (!KEEP.has(key)) continue;
    const value = node[key]!;
    if (key === 'format' && !KEEP_FORMATS.has(String(value))) continue;
    if (key === 'properties') {
      const properties: JsonObject = {};
      for (const name of Object.keys(value as JsonObject).sort()) properties[name] = strip((value as JsonObject)[name]!);
      out[key] = properties;
    } else if (key === '$ref') {
      out[key] = String(value).replace('#/definitions/', '');
    } else {
      out[key] = strip(value);
    }
  }
  return out;
}

interface VersionIndex {
  /** For each name in `names`, the shape index this version uses, or -1. */
  shapes: number[];
  /** "apps/v1/DaemonSet" -> definition name. */
  kinds: Record<string, string>;
}

function main(): void {
  const files = readdirSync(SPEC_DIR)
    .filter((file) => /^v1\.\d+\.swagger\.json\.gz$/.test(file))
    .sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
  if (files.length === 0) throw new Error(`no v1.NN.swagger.json.gz specs in ${SPEC_DIR}`);

  const perVersion = new Map<string, { definitions: Record<string, Json>; kinds: Record<string, string> }>();
  for (const file of files) {
    const version = file.replace(/^v/, '').replace(/\.swagger\.json\.gz$/, '');
    const spec = JSON.parse(gunzipSync(readFileSync(path.join(SPEC_DIR, file))).toString('utf8')) as {
      definitions: Record<string, JsonObject>;
    };
    const definitions: Record<string, Json> = {};
    const kinds: Record<string, string> = {};
    for (const [name, definition] of Object.entries(spec.definitions)) {
      definitions[name] = strip(definition);
      for (const gvk of (definition['x-kubernetes-group-version-kind'] as JsonObject[] | undefined) ?? []) {
        const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : String(gvk.version);
        // Option and event types (DeleteOptions, WatchEvent) are served under every group: not manifests.
        if (name.startsWith('io.k8s.apimachinery.pkg.apis.meta.v1.')) continue;
        kinds[`${apiVersion}/${gvk.kind}`] = name;
      }
    }
    perVersion.set(version, { definitions, kinds });
  }

  const names = [...new Set([...perVersion.values()].flatMap((v) => Object.keys(v.definitions)))].sort();
  const shapes: Record<string, Json[]> = {};
  const shapeKeys = new Map<string, string[]>();
  const versions: Record<string, VersionIndex> = {};
  for (const [version, { definitions, kinds }] of perVersion) {
    const indexes = names.map((name) => {
      const definition = definitions[name];
      if (definition === undefined) return -1;
      const key = JSON.stringify(definition);
      const known = shapeKeys.get(name) ?? [];
      let index = known.indexOf(key);
      if (index < 0) {
        index = known.push(key) - 1;
        shapeKeys.set(name, known);
        (shapes[name] ??= []).push(definition);
      }
      return index;
    });
    versions[version] = { shapes: indexes, kinds: Object.fromEntries(Object.entries(kinds).sort()) };
  }

  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(path.join(OUT_DIR, 'definitions.json'), `${JSON.stringify(shapes)}\n`);
  writeFileSync(path.join(OUT_DIR, 'index.json'), `${JSON.stringify({ names, versions })}\n`);
  const size = (file: string) => readFileSync(path.join(OUT_DIR, file)).length;
  const kinds = Object.keys(versions[[...perVersion.keys()].at(-1)!]!.kinds).length;
  process.stdout.write(
    `schemas: ${perVersion.size} versions (${[...perVersion.keys()].join(', ')}), ${names.length} definitions, ` +
      `${Object.values(shapes).reduce((n, list) => n + list.length, 0)} distinct shapes, ${kinds} kinds in the newest; ` +
      `definitions.json ${(size('definitions.json') / 1024).toFixed(0)} KiB, index.json ${(size('index.json') / 1024).toFixed(0)} KiB\n`,
  );
}

main();
