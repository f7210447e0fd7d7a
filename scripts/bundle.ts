/**
 * Build step: bundles the CLI and its worker thread into one file each, dist/bundle/kubelint.js
 * and dist/bundle/worker.js, from tsc's output. Node 20 resolves, reads and compiles each
 * ES module on its own; for the ~250 modules a run loads, that was half of a one-file run's
 * start-up (see README, Performance). The library (dist/src) is left as tsc wrote it.
 *
 * Left out of the bundle, loaded when first needed: ajv (only for kinds without a
 * precompiled validator), re2js (only for --schema-dir patterns), globby with its
 * dependencies (only for glob arguments: a quarter of the bundle, 10 ms of every start-up
 * to compile), the precompiled validators (one per Kubernetes version, chosen at run time)
 * and plugins.
 */
import { build, type Plugin } from 'esbuild';
import { chmodSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../src/package-root.js';

const DIST = path.join(PACKAGE_ROOT, 'dist');
export const BUNDLE_DIR = path.join(DIST, 'bundle');

/**
 * rules/index.js finds its rules by listing its folder at run time, which a bundle cannot
 * follow: in the bundle it becomes the same list, imported statically.
 */
const staticRuleIndex: Plugin = {
  name: 'static-rule-index',
  setup(builder) {
    const rulesDir = path.join(DIST, 'rules');
    builder.onLoad({ filter: /[\\/]dist[\\/]rules[\\/]index\.js$/ }, () => {
      const modules = readdirSync(rulesDir).filter((file) => file.endsWith('.js') && file !== 'index.js').sort();
      const contents = [
        "import { createRegistry } from '../src/engine/registry.js';",
        ...modules.map((file, i) => `import rule${i} from './${file}';`),
        `export const rules = [${modules.map((_, i) => `rule${i}`).join(', ')}].sort((a, b) => (a.meta.id < b.meta.id ? -1 : 1));`,
        'export const BUILT_IN = createRegistry(rules, [{ module: import.meta.url, builtIn: true }]);',
      ].join('\n');
      return { contents, resolveDir: rulesDir, loader: 'js' };
    });
  },
};

const started = Date.now();
await build({
  entryPoints: {
    kubelint: path.join(DIST, 'src', 'cli', 'bin.js'),
    worker: path.join(DIST, 'src', 'lint', 'worker.js'),
  },
  outdir: BUNDLE_DIR,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // The bundled CommonJS packages (yaml's dist, ignore) call require().
  banner: { js: "import { createRequire as __kubelintCreateRequire } from 'node:module'; const require = __kubelintCreateRequire(import.meta.url);" },
  // Required at run time from node_modules, as in the library: see the comment above.
  external: ['ajv', 'ajv/*', 're2js', 'globby'],
  plugins: [staticRuleIndex],
  logLevel: 'warning',
});
chmodSync(path.join(BUNDLE_DIR, 'kubelint.js'), 0o755);
console.log(`bundled the CLI and its worker into ${path.relative(PACKAGE_ROOT, BUNDLE_DIR)} in ${Date.now() - started} ms`);
