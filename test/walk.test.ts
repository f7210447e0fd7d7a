/** The directory search: what it lists, how .gitignore applies, which links it follows. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ignoredByGit, walkDirectory, type WalkEvents } from '../src/discover/walk.js';
import { tempDir } from './helpers/temp.js';

/** A scratch tree: `files` maps a relative path to its content (a trailing "/" makes a directory). */
function tree(files: Record<string, string>): string {
  const root = tempDir('kubelint-walk-');
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(root, name);
    if (name.endsWith('/')) mkdirSync(file, { recursive: true });
    else {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
  }
  return root;
}

const yamlOnly = (_file: string, name: string) => name.endsWith('.yaml');

function walk(root: string, scan = root, gitignore = true): { files: string[]; events: WalkEvents } {
  const events: WalkEvents = { outside: new Map(), denied: new Set() };
  const files = walkDirectory(scan, { wanted: yamlOnly, gitignore, events })
    .map((file) => path.relative(root, file))
    .sort();
  return { files, events };
}

describe('walkDirectory', () => {
  it('lists wanted files at any depth, skipping names that start with "." and node_modules', () => {
    const root = tree({
      'a.yaml': '',
      'notes.md': '',
      'deploy/b.yaml': '',
      'deploy/deep/er/c.yaml': '',
      '.hidden.yaml': '',
      '.github/workflow.yaml': '',
      'node_modules/pkg/d.yaml': '',
      'deploy/node_modules/e.yaml': '',
    });
    assert.deepEqual(walk(root).files, ['a.yaml', 'deploy/b.yaml', 'deploy/deep/er/c.yaml']);
  });

  it('applies each .gitignore below its directory, deeper files overriding, negations included', () => {
    const root = tree({
      '.gitignore': 'generated/\n*.local.yaml\n',
      'generated/a.yaml': '',
      'deploy/generated/b.yaml': '',
      'deploy/x.local.yaml': '',
      'deploy/.gitignore': '# keep this one\n!keep.local.yaml\n/only-here.yaml\n',
      'deploy/keep.local.yaml': '',
      'deploy/only-here.yaml': '',
      'deploy/sub/only-here.yaml': '',
      'kept.yaml': '',
    });
    assert.deepEqual(walk(root).files, ['deploy/keep.local.yaml', 'deploy/sub/only-here.yaml', 'kept.yaml']);
    // --no-ignore: every file.
    assert.equal(walk(root, root, false).files.length, 7);
  });

  it('applies the .gitignore files above the scanned directory up to the repository root, and no further', () => {
    const outer = tree({
      '.gitignore': 'deploy/\n',
      'repo/.git/': '',
      'repo/.gitignore': '*.tmp.yaml\n',
      'repo/apps/.gitignore': 'rendered/\n',
      'repo/apps/web/a.yaml': '',
      'repo/apps/web/b.tmp.yaml': '',
      'repo/apps/web/rendered/c.yaml': '',
      'repo/apps/web/deploy/d.yaml': '',
    });
    // The .gitignore outside the repository (which ignores deploy/) does not apply.
    assert.deepEqual(walk(outer, path.join(outer, 'repo', 'apps', 'web')).files, ['repo/apps/web/a.yaml', 'repo/apps/web/deploy/d.yaml']);
    // Outside any repository only the tree's own .gitignore files apply.
    const loose = tree({ 'x/.gitignore': 'b.yaml\n', 'x/a.yaml': '', 'x/b.yaml': '', '.gitignore': 'a.yaml\n' });
    assert.deepEqual(walk(loose, path.join(loose, 'x')).files, ['x/a.yaml']);
  });

  it('follows links that stay inside the scanned directory, once round a loop, and records those that leave', () => {
    const outside = tree({ 'secret.yaml': '', 'dir/inner.yaml': '' });
    const root = tree({ 'a.yaml': '', 'sub/b.yaml': '' });
    symlinkSync('../a.yaml', path.join(root, 'sub', 'alias.yaml'));
    symlinkSync('..', path.join(root, 'sub', 'loop'));
    mkdirSync(path.join(root, 'sub', 'deeper'));
    symlinkSync('..', path.join(root, 'sub', 'deeper', 'up')); // back to sub/, already searched
    symlinkSync(path.join(outside, 'secret.yaml'), path.join(root, 'secret.yaml'));
    symlinkSync(path.join(outside, 'dir'), path.join(root, 'elsewhere'));
    symlinkSync(path.join(outside, 'secret.yaml'), path.join(root, 'README'));
    symlinkSync('missing.yaml', path.join(root, 'broken.yaml'));
    const { files, events } = walk(root);
    assert.deepEqual(files, ['a.yaml', 'sub/alias.yaml', 'sub/b.yaml']);
    // A link out that the search would not have listed (README) is not worth a line.
    assert.deepEqual([...events.outside.keys()].map((link) => path.relative(root, link)).sort(), ['elsewhere', 'secret.yaml']);
  });

  it('decides for files named explicitly as the walk would have: same files ignored, an ignored directory not re-included', () => {
    const root = tree({
      '.git/': '',
      '.gitignore': 'generated/\n*.local.yaml\n',
      'deploy/.gitignore': '!keep.local.yaml\n!generated/\n!b.yaml\n',
      'deploy/x.local.yaml': '',
      'deploy/keep.local.yaml': '',
      'deploy/generated/b.yaml': '',
      'deploy/a.yaml': '',
    });
    const named = ['deploy/x.local.yaml', 'deploy/keep.local.yaml', 'deploy/generated/b.yaml', 'deploy/a.yaml'].map((file) => path.join(root, file));
    const ignored = [...ignoredByGit(named)].map((file) => path.relative(root, file)).sort();
    // deploy/.gitignore re-includes generated/ itself, so git (and the walk) enter it.
    assert.deepEqual(ignored, ['deploy/x.local.yaml']);
    assert.deepEqual(walk(root).files, ['deploy/a.yaml', 'deploy/generated/b.yaml', 'deploy/keep.local.yaml']);
    // Without the re-inclusion of the directory, a negation inside it cannot bring a file back.
    writeFileSync(path.join(root, 'deploy', '.gitignore'), '!keep.local.yaml\n!b.yaml\n');
    assert.deepEqual([...ignoredByGit(named)].map((file) => path.relative(root, file)).sort(), ['deploy/generated/b.yaml', 'deploy/x.local.yaml']);
    assert.deepEqual(walk(root).files, ['deploy/a.yaml', 'deploy/keep.local.yaml']);
  });
});
