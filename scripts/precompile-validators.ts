/**
 * Build step: compiles the strict validators of the most common kinds for every bundled
 * version into dist/validators/v1.NN.cjs with ajv's standalone code, so that a run does
 * not pay ajv's compile time (about 130 ms for a DaemonSet) on every start. Derived from
 * the committed schemas/, so it is built, not committed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import AjvModule from 'ajv';
import standaloneCodeModule from 'ajv/dist/standalone/index.js';
import { AJV_OPTIONS, PRECOMPILED_DIR, PRECOMPILED_KINDS, bundledIndex, jsonSchemaDefinitions } from '../src/schema/registry.js';

const Ajv = AjvModule.default;
const standaloneCode = standaloneCodeModule.default;

mkdirSync(PRECOMPILED_DIR, { recursive: true });
const started = Date.now();
let bytes = 0;
for (const [versionKey, entry] of Object.entries(bundledIndex().versions)) {
  const definitions = jsonSchemaDefinitions(versionKey, true)!;
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true } });
  ajv.addSchema({ $id: 'k8s', definitions });
  const exports: Record<string, string> = {};
  for (const kind of PRECOMPILED_KINDS) {
    const name = entry.kinds[kind];
    if (name) exports[name] = `k8s#/definitions/${name}`;
  }
  const code = standaloneCode(ajv, exports);
  writeFileSync(path.join(PRECOMPILED_DIR, `v${versionKey}.cjs`), code);
  bytes += code.length;
}
process.stdout.write(
  `precompiled validators: ${Object.keys(bundledIndex().versions).length} versions, ${PRECOMPILED_KINDS.length} kinds, ` +
    `${(bytes / 1024 / 1024).toFixed(1)} MiB in ${Date.now() - started} ms\n`,
);
