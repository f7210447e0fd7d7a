/**
 * The pre-commit hook, run by the real pre-commit (Debian's package; .ci/run installs it)
 * from a clone of this repository, against a bad and a good manifest in a scratch repository.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './helpers/cli.js';
import { tempDir } from './helpers/temp.js';

const hasPreCommit = spawnSync('pre-commit', ['--version']).status === 0;
// In CI a missing pre-commit is a failure (.ci/run installs it); elsewhere the test says why it skipped.
const skip = hasPreCommit || isCi() ? false : 'pre-commit is not installed (apt-get install pre-commit)';

/** CI=true, CI=1...: CI providers set it; "false" and "0" mean not CI. */
function isCi(): boolean {
  const value = process.env.CI;
  return value !== undefined && value !== '' && value !== 'false' && value !== '0';
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } }).trim();
}

// The skip is on the test, not the suite: node:test counts a skipped test in its summary ("skipped 1").
describe('pre-commit hook', () => {
  it('fails on a bad manifest with the finding printed, and passes a good one', { skip, timeout: 600_000 }, () => {
    const scratch = tempDir('kubelint-precommit-');
    // The hook is installed from a clone of this repository at its committed HEAD.
    const hookRepo = path.join(scratch, 'kubelint');
    git(scratch, 'clone', '-q', PROJECT_ROOT, hookRepo);
    const rev = git(hookRepo, 'rev-parse', 'HEAD');
    const work = path.join(scratch, 'work');
    execFileSync('mkdir', ['-p', work]);
    git(work, 'init', '-q');
    writeFileSync(path.join(work, '.pre-commit-config.yaml'), `repos:\n  - repo: ${hookRepo}\n    rev: ${rev}\n    hooks:\n      - id: kubelint\n`);
    copyFileSync(path.join(PROJECT_ROOT, 'fixtures/examples/daemonsets/log-shipper.yaml'), path.join(work, 'bad.yaml'));
    copyFileSync(path.join(PROJECT_ROOT, 'fixtures/examples/daemonsets/cni-agent.yaml'), path.join(work, 'good.yaml'));
    writeFileSync(path.join(work, 'notes.txt'), 'not a manifest\n');
    git(work, 'add', '-A');
    const env = { ...process.env, PRE_COMMIT_HOME: path.join(scratch, 'cache'), NO_COLOR: '1' };

    const good = spawnSync('pre-commit', ['run', '--files', 'good.yaml', 'notes.txt'], { cwd: work, encoding: 'utf8', env });
    assert.equal(good.status, 0, good.stdout + good.stderr);
    assert.match(good.stdout, /kubelint\.+Passed/);

    const bad = spawnSync('pre-commit', ['run', '--files', 'bad.yaml', 'good.yaml'], { cwd: work, encoding: 'utf8', env });
    assert.equal(bad.status, 1, bad.stdout + bad.stderr);
    assert.match(bad.stdout, /kubelint\.+Failed/);
    assert.match(bad.stdout, /^bad\.yaml\n  14:7  error /m);
    assert.match(bad.stdout, /selector requires label tier="node-agent"/);
  });

  it('in a platform repository: passes commits of only non-manifests or only ignored files, fails a bad manifest', { skip, timeout: 600_000 }, () => {
    const scratch = tempDir('kubelint-precommit-repo-');
    {
      const hookRepo = path.join(scratch, 'kubelint');
      git(scratch, 'clone', '-q', PROJECT_ROOT, hookRepo);
      const rev = git(hookRepo, 'rev-parse', 'HEAD');
      const work = path.join(scratch, 'work');
      cpSync(path.join(PROJECT_ROOT, 'fixtures', 'platform-repo'), work, { recursive: true });
      git(work, 'init', '-q');
      writeFileSync(path.join(work, '.pre-commit-config.yaml'), `repos:\n  - repo: ${hookRepo}\n    rev: ${rev}\n    hooks:\n      - id: kubelint\n`);
      git(work, 'add', '-A');
      const env = { ...process.env, PRE_COMMIT_HOME: path.join(scratch, 'cache'), NO_COLOR: '1', KUBELINT_HELM: path.join(scratch, 'no-helm') };
      const run = (...files: string[]) => spawnSync('pre-commit', ['run', '--files', ...files], { cwd: work, encoding: 'utf8', env });

      const tooling = run('package.json', 'package-lock.json', 'tsconfig.json', 'docker-compose.yml', '.github/workflows/ci.yaml', '.pre-commit-config.yaml', '.kubelint.yaml',
        'charts/node-agent/Chart.yaml', 'charts/node-agent/values.yaml', 'charts/node-agent/templates/daemonset.yaml', 'kustomize/base/kustomization.yaml', 'schemas/widget-example.com-v1.json');
      assert.equal(tooling.status, 0, tooling.stdout + tooling.stderr);
      assert.match(tooling.stdout, /kubelint\.+Passed/);

      const ignored = run('rendered/out.yaml');
      assert.equal(ignored.status, 0, ignored.stdout + ignored.stderr);
      assert.match(ignored.stdout, /kubelint\.+Passed/);

      const good = run('deploy/node-exporter.yaml', 'kustomize/base/daemonset.yaml', 'kustomize/overlays/prod/patch-daemonset.yaml', 'package.json');
      assert.equal(good.status, 0, good.stdout + good.stderr);

      const bad = run('deploy/typo-kind.yaml', 'package.json');
      assert.equal(bad.status, 1, bad.stdout + bad.stderr);
      assert.match(bad.stdout, /kubelint\.+Failed/);
      assert.match(bad.stdout, /typo-kind\.yaml\n  2:7  error /);
      assert.match(bad.stdout, /kind "DaemonSett" is not served by "apps\/v1"/);
    }
  });
});
