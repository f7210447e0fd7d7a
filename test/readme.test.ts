/**
 * The README's install block, GitHub workflow and pre-commit configuration, run exactly as
 * printed there. Only the world around them is local: git fetches
 * https://github.com/kubelint/kubelint from this repository (url.insteadOf, so the clone is
 * of the committed HEAD), and npm works offline from its cache.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { PROJECT_ROOT } from './helpers/cli.js';
import { readmeBlock } from './helpers/readme.js';
import { tempDir } from './helpers/temp.js';

const URL = 'https://github.com/kubelint/kubelint';
const BAD = path.join(PROJECT_ROOT, 'fixtures/examples/daemonsets/log-shipper.yaml');
const GOOD = path.join(PROJECT_ROOT, 'fixtures/examples/daemonsets/cni-agent.yaml');

const hasPreCommit = spawnSync('pre-commit', ['--version']).status === 0;
const isCi = !['', '0', 'false', undefined].includes(process.env.CI);

function environment(scratch: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: `url.${PROJECT_ROOT}.insteadOf`,
    GIT_CONFIG_VALUE_0: URL,
    GIT_AUTHOR_NAME: 't',
    GIT_AUTHOR_EMAIL: 't@t',
    GIT_COMMITTER_NAME: 't',
    GIT_COMMITTER_EMAIL: 't@t',
    npm_config_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    PRE_COMMIT_HOME: path.join(scratch, 'pre-commit-cache'),
    NO_COLOR: '1',
  };
  delete env.FORCE_COLOR;
  return env;
}

function bash(script: string, cwd: string, env: NodeJS.ProcessEnv) {
  const result = spawnSync('bash', ['-eo', 'pipefail', '-c', script], { cwd, env, encoding: 'utf8', timeout: 300_000, maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('README snippets, as printed', () => {
  const scratch = tempDir('kubelint-readme-');
  const env = environment(scratch);
  const project = path.join(scratch, 'your-project');
  let install: ReturnType<typeof bash>;

  before(() => {
    mkdirSync(path.join(project, 'deploy'), { recursive: true });
    copyFileSync(GOOD, path.join(project, 'deploy', 'cni-agent.yaml'));
    install = bash(readmeBlock('snippet: install'), scratch, env);
  });

  it('install: clone, pack, install the tarball into a project, lint', { timeout: 300_000 }, () => {
    assert.equal(install.status, 0, install.stdout + install.stderr);
    assert.match(install.stdout, /✔ 1 file, 1 object: no problems\n$/);
    // The tarball holds the built files and installing it runs no script (npm 11 warns of
    // each; the clone's own npm ci may warn about its devDependencies, which is not this).
    assert.match(install.stderr, /kubelint-0\.1\.0\.tgz/);
    assert.doesNotMatch(install.stderr, /install-scripts.*kubelint@/, install.stderr);
    const manifest = JSON.parse(readFileSync(path.join(project, 'package.json'), 'utf8'));
    assert.equal(manifest.devDependencies.kubelint, 'file:../kubelint/kubelint-0.1.0.tgz');
    assert.ok(existsSync(path.join(project, 'node_modules/kubelint/dist/bundle/kubelint.js')));
    assert.ok(existsSync(path.join(project, 'node_modules/kubelint/LICENSE')));
    assert.ok(!existsSync(path.join(project, 'node_modules/kubelint/src')), 'TypeScript sources are not shipped');
    // A glob argument loads globby, which the bundle leaves to node_modules.
    const globbed = bash("npx --no-install kubelint 'deploy/*.yaml'", project, env);
    assert.equal(globbed.status, 0, globbed.stderr);
    assert.match(globbed.stdout, /✔ 1 file, 1 object: no problems\n$/);
  });

  it('pre-commit: the local hook fails a bad manifest and passes a good one', { skip: hasPreCommit || isCi ? false : 'pre-commit is not installed (apt-get install pre-commit)', timeout: 300_000 }, () => {
    assert.equal(install.status, 0, 'needs the install block to have worked');
    const config = readmeBlock('snippet: pre-commit');
    const setup = bash('git init -q . && cp "$BAD" bad.yaml && git add -A', project, { ...env, BAD });
    assert.equal(setup.status, 0, setup.stderr);
    writeFileSync(path.join(project, '.pre-commit-config.yaml'), config);

    const good = spawnSync('pre-commit', ['run', '--files', 'deploy/cni-agent.yaml'], { cwd: project, env, encoding: 'utf8' });
    assert.equal(good.status, 0, good.stdout + good.stderr);
    assert.match(good.stdout, /kubelint\.+Passed/);

    const bad = spawnSync('pre-commit', ['run', '--files', 'bad.yaml', 'deploy/cni-agent.yaml'], { cwd: project, env, encoding: 'utf8' });
    assert.equal(bad.status, 1, bad.stdout + bad.stderr);
    assert.match(bad.stdout, /kubelint\.+Failed/);
    assert.match(bad.stdout, /^bad\.yaml\n {2}14:7 {2}error {4}selector requires label tier="node-agent"/m);
  });

  it('workflow: its steps, run in order in a checkout, annotate and write SARIF', { timeout: 300_000 }, () => {
    const workflow = parse(readmeBlock('snippet: workflow')) as {
      jobs: Record<string, { steps: Array<{ uses?: string; run?: string; with?: Record<string, string>; if?: string }> }>;
    };
    const workspace = path.join(scratch, 'workspace');
    mkdirSync(path.join(workspace, 'deploy'), { recursive: true });
    copyFileSync(BAD, path.join(workspace, 'deploy', 'log-shipper.yaml'));
    const git = bash('git init -q . && git add -A && git commit -qm x', workspace, env);
    assert.equal(git.status, 0, git.stderr);
    const actionsEnv = { ...env, CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: workspace };

    const runs: Array<ReturnType<typeof bash>> = [];
    let sarifUploaded = false;
    for (const step of workflow.jobs.kubelint!.steps) {
      if (step.run !== undefined) {
        runs.push(bash(step.run, workspace, actionsEnv));
      } else if (step.uses === 'actions/checkout@v4') {
        // The job's own repository is the workspace; another one is cloned to its path.
        if (!step.with?.repository) continue;
        const clone = bash(`git clone -q ${URL.replace('kubelint/kubelint', step.with.repository)} ${step.with.path}`, workspace, actionsEnv);
        assert.equal(clone.status, 0, clone.stderr);
      } else if (step.uses === 'actions/setup-node@v4') {
        assert.equal(String(step.with?.['node-version']), '20'); // the Node.js these tests run on is 20 or newer
      } else if (step.uses === 'github/codeql-action/upload-sarif@v3') {
        assert.equal(step.if, 'always()', 'uploads even though the kubelint step failed');
        const sarif = JSON.parse(readFileSync(path.join(workspace, step.with!.sarif_file!), 'utf8'));
        assert.equal(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'deploy/log-shipper.yaml');
        sarifUploaded = true;
      } else {
        assert.fail(`a step this test does not know: ${JSON.stringify(step)}`);
      }
    }
    assert.equal(runs.length, 2);
    assert.equal(runs[0]!.status, 0, runs[0]!.stdout + runs[0]!.stderr);
    assert.equal(runs[1]!.status, 1, runs[1]!.stdout + runs[1]!.stderr); // errors: the step fails the check
    assert.match(runs[1]!.stdout, /^::error file=deploy\/log-shipper\.yaml,line=14,col=7,endLine=14,endColumn=11,title=daemonset-selector-mismatch::/m);
    assert.match(runs[1]!.stdout, /^kubelint: 2 problems \(1 error, 1 warning\) in 1 file$/m);
    assert.ok(sarifUploaded);
  });
});
