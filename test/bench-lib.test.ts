import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CASES, cacheOptions, judge, median, parseGnuTime, parseSettings, parseSummary, ratio, UsageError } from '../scripts/bench-lib.js';

// Real kubeconform v0.6.3 output shapes (one missing schema, then the summary line).
const KUBECONFORM_OUTPUT = [
  'a.yaml - DaemonSet keepalived failed validation: could not find schema for DaemonSet',
  "b.yaml - DaemonSet nodeagent is invalid: problem validating schema. Check JSON formatting: jsonschema: '/spec' does not validate",
  'Summary: 373 resources found in 59 files - Valid: 269, Invalid: 2, Errors: 102, Skipped: 0',
  '',
].join('\n');

describe('bench settings', () => {
  it('defaults to 5 runs of every case, in the bench order', () => {
    assert.deepEqual(parseSettings({}, []), { runs: 5, only: [...CASES] });
  });

  it('reads BENCH_RUNS and BENCH_ONLY, keeping the bench order', () => {
    assert.deepEqual(parseSettings({ BENCH_RUNS: '1', BENCH_ONLY: 'cold-start, stream' }, []), { runs: 1, only: ['stream', 'cold-start'] });
  });

  it('--quick is one run without the 100k corpus', () => {
    const settings = parseSettings({}, ['--quick']);
    assert.equal(settings.runs, 1);
    assert.equal(settings.only.includes('workloads-100k'), false);
    assert.equal(settings.only.includes('repeat-10k'), true);
  });

  it('rejects an unknown case or a bad run count with a usage error naming it', () => {
    assert.throws(() => parseSettings({ BENCH_ONLY: 'stream,10k' }, []), (error: unknown) => error instanceof UsageError && /unknown case 10k;/.test(error.message));
    for (const runs of ['0', '-1', '1.5', 'five']) {
      assert.throws(() => parseSettings({ BENCH_RUNS: runs }, []), (error: unknown) => error instanceof UsageError && error.message.startsWith(`BENCH_RUNS=${runs}:`));
    }
  });
});

describe('bench measurements', () => {
  it('takes the median of odd and even counts', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.throws(() => median([]));
  });

  it('reads GNU time output, after the non-zero status line it adds', () => {
    assert.deepEqual(parseGnuTime('Command exited with non-zero status 1\n1.50 0.25 2048\n'), { cpuSeconds: 1.75, peakMb: 2 });
    assert.deepEqual(parseGnuTime('0.00 0.00 1024'), { cpuSeconds: 0, peakMb: 1 });
    assert.equal(parseGnuTime('Command terminated by signal 9\n'), undefined);
    assert.equal(parseGnuTime(''), undefined);
  });

  it('reads the kubeconform summary and counts missing-schema errors', () => {
    assert.deepEqual(parseSummary(KUBECONFORM_OUTPUT), { resources: 373, files: 59, valid: 269, invalid: 2, errors: 102, skipped: 0, noSchema: 1 });
    assert.deepEqual(parseSummary('Summary: 1 resource found in 1 file - Valid: 1, Invalid: 0, Errors: 0, Skipped: 0\n')?.resources, 1);
    assert.equal(parseSummary('Error: open x: no such file\n'), undefined);
  });
});

describe('when kubeconform is trusted', () => {
  const summary = parseSummary(KUBECONFORM_OUTPUT)!;

  it('trusts a run that skipped nothing, noting the documents it had no schema for', () => {
    const verdict = judge('stream', 373, 59, [summary, summary]);
    assert.equal(verdict.distrust, undefined);
    assert.equal(ratio(3, 4, verdict.distrust), '0.75');
    assert.match(verdict.notes[0]!, /^stream: kubeconform summary: 373 resources in 59 files - Valid: 269, Invalid: 2, Errors: 102, Skipped: 0/);
    assert.match(verdict.notes[1]!, /^note stream: kubeconform found no schema for 1 of 373 resources \(0%/);
  });

  it('marks the ratio when kubeconform had no schema for over 5% of the resources', () => {
    const verdict = judge('corpus-10k', 100, 10, [{ ...summary, resources: 100, noSchema: 26 }]);
    assert.equal(verdict.distrust, undefined);
    assert.equal(verdict.lessWork, true);
    assert.equal(ratio(3, 2, verdict.distrust, verdict.lessWork), '1.50 *');
    assert.match(verdict.notes[1]!, /^note corpus-10k \(the \* ratios\): kubeconform found no schema for 26 of 100 resources \(26%/);
    assert.equal(judge('x', 100, 10, [{ ...summary, resources: 100, noSchema: 5 }]).lessWork, false);
  });

  it('gives no ratio when any run skipped resources', () => {
    const verdict = judge('corpus-10k', 373, 59, [summary, { ...summary, skipped: 3 }]);
    assert.equal(verdict.distrust, 'kubeconform skipped 3 resources');
    assert.equal(ratio(3, 4, verdict.distrust), 'untrusted');
    assert.ok(verdict.notes.some((note) => note.startsWith('WARNING corpus-10k: kubeconform skipped 3 resources;')));
  });

  it('gives no ratio when every resource was an error (wrong schema location)', () => {
    const verdict = judge('cold-start', 1, 1, [{ resources: 1, files: 1, valid: 0, invalid: 0, errors: 1, skipped: 0, noSchema: 1 }]);
    assert.equal(verdict.distrust, 'kubeconform validated nothing');
    assert.equal(ratio(0.1, 0.2, verdict.distrust), 'untrusted');
  });

  it('says n/a rather than dividing by nothing', () => {
    assert.equal(ratio(undefined, 2, undefined), 'n/a');
    assert.equal(ratio(1, 0, undefined), 'n/a');
  });
});

describe('cache detection in kubelint --help', () => {
  it('finds --cache but does not take --cache-location or --cache-strategy for it', () => {
    assert.deepEqual(cacheOptions('      --cache                Only lint changed files\n      --cache-location PATH  Where\n'), { cache: true, cacheLocation: true });
    assert.deepEqual(cacheOptions('      --cache-location PATH  Where\n      --cache-strategy S\n'), { cache: false, cacheLocation: true });
    assert.deepEqual(cacheOptions('  -c, --config FILE   Use this configuration\n'), { cache: false, cacheLocation: false });
  });
});
