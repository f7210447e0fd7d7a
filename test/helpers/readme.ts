/** The README's code blocks, so tests can run them as printed. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './cli.js';

/** The code block after the comment `<!-- MARKER ... -->` in the README. */
export function readmeBlock(marker: string): string {
  const text = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const at = text.indexOf(`<!-- ${marker}`);
  assert.ok(at >= 0, `README has no <!-- ${marker} --> block`);
  const open = text.indexOf('```', at);
  const bodyStart = text.indexOf('\n', open) + 1;
  return text.slice(bodyStart, text.indexOf('```', bodyStart));
}
