/**
 * The folder of kubelint's package.json, found from this module upwards. The code runs from
 * dist/src/... (the library) and from dist/bundle/ (the CLI, one file per entry point), so a
 * fixed number of '..' would be right for only one of them.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'kubelint') return dir;
    if (path.dirname(dir) === dir) throw new Error(`kubelint: no package.json of kubelint above ${start}`);
  }
}

export const PACKAGE_ROOT: string = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));
