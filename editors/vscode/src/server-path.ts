/**
 * Which kubelint language server to start, without VS Code (so the root test suite can
 * check it): the workspace's own kubelint first, so the editor reports what the project's
 * pinned version reports on the command line; then the kubelint.serverPath setting; then
 * the server bundled with the extension.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

export interface ServerChoice {
  /** `module`: a JavaScript file VS Code runs with its own Node.js; `command`: an executable. */
  kind: 'module' | 'command';
  path: string;
  /** Where it came from, for the output channel. */
  from: 'workspace' | 'setting' | 'bundled';
}

export interface FindServerInput {
  /** The workspace folders' directories, in order. */
  folders: readonly string[];
  /** kubelint.serverPath ('' when unset). */
  setting: string;
  /** Whether the workspace is trusted: an untrusted one must not choose what runs. */
  trusted: boolean;
  /** The bundled server's JavaScript file. */
  bundled: string;
  platform?: NodeJS.Platform;
  exists?: (file: string) => boolean;
}

const BIN = 'kubelint-language-server';

export function findServer(input: FindServerInput): ServerChoice {
  const exists = input.exists ?? existsSync;
  const windows = (input.platform ?? process.platform) === 'win32';
  if (input.trusted) {
    for (const folder of input.folders) {
      // npm puts a .cmd shim there on Windows, a link to the script elsewhere.
      const bin = path.join(folder, 'node_modules', '.bin', windows ? `${BIN}.cmd` : BIN);
      if (exists(bin)) return { kind: 'command', path: bin, from: 'workspace' };
    }
    const setting = input.setting.trim();
    if (setting) {
      const file = path.isAbsolute(setting) || input.folders.length === 0 ? setting : path.join(input.folders[0]!, setting);
      return { kind: /\.[cm]?js$/.test(file) ? 'module' : 'command', path: file, from: 'setting' };
    }
  }
  return { kind: 'module', path: input.bundled, from: 'bundled' };
}
