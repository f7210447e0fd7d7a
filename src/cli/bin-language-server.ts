#!/usr/bin/env node
/** `kubelint-language-server --stdio`: kubelint for editors, over the Language Server Protocol. */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from '../lsp/server.js';

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write('Usage: kubelint-language-server --stdio\n\nThe kubelint language server, for editors (LSP over standard input and output).\n');
} else if (!args.some((arg) => arg === '--stdio' || arg.startsWith('--node-ipc') || arg.startsWith('--socket') || arg.startsWith('--pipe'))) {
  process.stderr.write('kubelint-language-server: say how to talk to the editor: --stdio\n');
  process.exitCode = 2;
} else {
  // createConnection reads --stdio (or --node-ipc, --socket, --pipe) from the arguments.
  startServer(createConnection(ProposedFeatures.all));
}
