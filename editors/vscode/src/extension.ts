/**
 * kubelint for VS Code: starts `kubelint-language-server --stdio` for YAML files. The
 * server does the work (diagnostics, quick fixes, "fix all", each folder's .kubelint.yaml);
 * this only picks the server (see server-path.ts) and connects it.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { findServer, type ServerChoice } from './server-path';

let client: LanguageClient | undefined;
/** The server re-reads a folder's configuration when it changes; one watcher for every (re)start. */
let configWatcher: vscode.FileSystemWatcher | undefined;

function serverOptions(choice: ServerChoice): ServerOptions {
  if (choice.kind === 'module') return { module: choice.path, transport: TransportKind.stdio };
  // A Windows .cmd shim runs only through the shell.
  return { command: choice.path, transport: TransportKind.stdio, options: { shell: process.platform === 'win32' } };
}

async function start(output: vscode.LogOutputChannel): Promise<void> {
  const choice = findServer({
    folders: (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath),
    setting: vscode.workspace.getConfiguration('kubelint').get<string>('serverPath', ''),
    trusted: vscode.workspace.isTrusted,
    bundled: require.resolve('kubelint/dist/src/cli/bin-language-server.js'),
  });
  output.info(`starting ${choice.path} (${choice.from})`);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
    ],
    synchronize: { fileEvents: configWatcher },
    outputChannel: output,
  };
  client = new LanguageClient('kubelint', 'kubelint', serverOptions(choice), clientOptions);
  await client.start();
}

/** (Re)starts the server; a server that does not start is told to the user, not thrown. */
async function restart(output: vscode.LogOutputChannel): Promise<void> {
  const old = client;
  client = undefined;
  try {
    await old?.stop();
    await start(output);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    output.error(`the language server did not start: ${why}`);
    void vscode.window.showErrorMessage(`kubelint: the language server did not start: ${why}. Check kubelint.serverPath, or see the kubelint output.`);
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('kubelint', { log: true });
  configWatcher = vscode.workspace.createFileSystemWatcher('**/.kubelint.{yaml,yml,json}');
  context.subscriptions.push(
    output,
    configWatcher,
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('kubelint.serverPath')) void restart(output);
    }),
    // Trusting the workspace may make its own kubelint the one to run.
    vscode.workspace.onDidGrantWorkspaceTrust(() => void restart(output)),
  );
  await restart(output);
}

export function deactivate(): Promise<void> | undefined {
  return client?.stop();
}
