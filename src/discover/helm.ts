/**
 * Helm charts. A chart's templates/ are Go templates, not YAML: kubelint lints what helm
 * renders from them. With `helm` on PATH a chart is rendered with `helm template`; the
 * rendered stream carries a `# Source: CHART/templates/FILE` comment before each document
 * (helm's documented output), and each group of documents is reported against the
 * template file it came from, at its position in helm's output for that template.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

/** helm writes `# Source: <chart name>/<path in chart>` on the line after each `---`. */
const SOURCE_LINE = /^# Source: (\S[^\r\n]*?)[ \t]*\r?$/;

/** A run of consecutive documents from one template, as a slice of the rendered stream. */
export interface RenderedSource {
  /** The `# Source:` path as helm wrote it (chart name first), or undefined before any. */
  source: string | undefined;
  /** The slice, starting on the line after its first `# Source:` comment. */
  text: string;
  /** Offset of `text` in the stream. */
  offset: number;
}

/**
 * Splits a rendered stream at its `# Source:` comments. A stream without any is one slice
 * with no source: it is linted as it is.
 */
export function splitRenderedSources(stream: string): RenderedSource[] {
  const slices: RenderedSource[] = [];
  let source: string | undefined;
  let sliceStart = 0;
  // Where the `---` line before the current line starts; a Source line counts only right after one (or first).
  let markerBefore: number | undefined = 0;
  for (let offset = 0; offset < stream.length; ) {
    const newline = stream.indexOf('\n', offset);
    const lineEnd = newline < 0 ? stream.length : newline;
    const next = newline < 0 ? stream.length : newline + 1;
    const line = stream.slice(offset, lineEnd);
    const match = markerBefore !== undefined ? SOURCE_LINE.exec(line) : null;
    if (match && match[1] !== source) {
      const closeAt = Math.max(markerBefore!, sliceStart);
      if (source !== undefined || stream.slice(sliceStart, closeAt).trim() !== '') {
        slices.push({ source, text: stream.slice(sliceStart, closeAt), offset: sliceStart });
      }
      source = match[1];
      sliceStart = next;
    }
    markerBefore = /^---(?:[ \t]|\r?$)/.test(line) ? offset : undefined;
    offset = next;
  }
  if (source !== undefined || stream.slice(sliceStart).trim() !== '' || slices.length === 0) {
    slices.push({ source, text: stream.slice(sliceStart), offset: sliceStart });
  }
  return slices;
}

/**
 * Where a `# Source:` path lives on disk: helm names it from the chart's `name`, so the
 * first segment is replaced by the chart's directory (as given on the command line or by
 * --stdin-filename). Without a chart directory, the path is kept as helm wrote it.
 */
export function templatePath(source: string, chartDir: string | undefined): string {
  const segments = source.split('/');
  if (chartDir === undefined || segments.length < 2) return source;
  return path.join(chartDir, ...segments.slice(1));
}

export type RenderOutcome = { rendered: string } | { problem: string } | { helmMissing: true };

/** Renders a chart with the `helm` on PATH; never with network access of kubelint's own. */
export function renderChart(chartDir: string, helm = process.env.KUBELINT_HELM ?? 'helm'): RenderOutcome {
  const run = spawnSync(helm, ['template', chartDir], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (run.error) {
    if ((run.error as NodeJS.ErrnoException).code === 'ENOENT') return { helmMissing: true };
    return { problem: `helm template could not run: ${run.error.message}` };
  }
  if (run.status !== 0) {
    const reason = run.stderr.split('\n').find((line) => line.trim() !== '') ?? `exit code ${run.status}`;
    return { problem: `helm template failed: ${reason.replace(/^Error: /, '')}` };
  }
  return { rendered: run.stdout };
}

/** The line printed once per chart when helm is not installed. */
export function helmMissingNote(chartDir: string): string {
  return `kubelint: ${chartDir} is a Helm chart; its templates were not linted (helm is not on PATH). Lint the rendered chart: helm template ${chartDir} | kubelint - --stdin-filename ${chartDir}`;
}
