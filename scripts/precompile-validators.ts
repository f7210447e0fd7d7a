/**
 * Build step: compiles the strict validators of the most common kinds for every bundled
 * version into dist/validators/v1.NN.cjs and v1.NN-beside.cjs (see PRECOMPILED_GROUPS)
 * with ajv's standalone code, so that a run does not pay ajv's compile time (about 130 ms for a DaemonSet) on every start. Derived from
 * the committed schemas/, so it is built, not committed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import AjvModule from 'ajv';
import standaloneCodeModule from 'ajv/dist/standalone/index.js';
import { AJV_OPTIONS, PRECOMPILED_DIR, PRECOMPILED_GROUPS, bundledIndex, jsonSchemaDefinitions, precompiledFile } from '../src/schema/registry.js';

const Ajv = AjvModule.default;
const standaloneCode = standaloneCodeModule.default;

mkdirSync(PRECOMPILED_DIR, { recursive: true });
const started = Date.now();
let bytes = 0;
for (const [versionKey, entry] of Object.entries(bundledIndex().versions)) {
  const definitions = jsonSchemaDefinitions(versionKey, true)!;
  // One instance per version: the second group's kinds reuse what the first compiled.
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true } });
  ajv.addSchema({ $id: 'k8s', definitions });
  for (const group of PRECOMPILED_GROUPS) {
    const exports: Record<string, string> = {};
    for (const kind of group.kinds) {
      const name = entry.kinds[kind];
      if (name) exports[name] = `k8s#/definitions/${name}`;
    }
    const code = standaloneCode(ajv, exports);
    writeFileSync(precompiledFile(versionKey, group), code);
    bytes += code.length;
  }
}
process.stdout.write(
  `precompiled validators: ${Object.keys(bundledIndex().versions).length} versions, ${PRECOMPILED_GROUPS.reduce((sum, group) => sum + group.kinds.length, 0)} kinds, ` +
    `${(bytes / 1024 / 1024).toFixed(1)} MiB in ${Date.now() - started} ms\n`,
);
