/** A minimal JSON-RPC client over stdio (LSP base protocol framing), for protocol tests. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from './cli.js';

export const SERVER_BIN = path.join(PROJECT_ROOT, 'dist', 'src', 'cli', 'bin-language-server.js');

type Message = { id?: number; method?: string; params?: any; result?: any; error?: any };

export class LspClient {
  readonly child: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private pending = new Map<number, (message: Message) => void>();
  private waiters: Array<{ match: (message: Message) => boolean; resolve: (message: Message) => void }> = [];
  readonly notifications: Message[] = [];
  readonly exited: Promise<number | null>;

  /** Starts `server` (default: this checkout's built server) with --stdio in `cwd`. */
  constructor(cwd: string, server: string = SERVER_BIN) {
    this.child = spawn(process.execPath, [server, '--stdio'], { cwd });
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
    this.child.stdout.on('data', (chunk: Buffer) => this.read(chunk));
  }

  private read(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())![1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString()) as Message;
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      if (message.id !== undefined && message.method === undefined) {
        this.pending.get(message.id)?.(message);
        this.pending.delete(message.id);
        continue;
      }
      // A request from the server (client/registerCapability...): answer it with null.
      if (message.id !== undefined && message.method !== undefined) this.send({ jsonrpc: '2.0', id: message.id, result: null });
      this.notifications.push(message);
      const waiter = this.waiters.findIndex((w) => w.match(message));
      if (waiter >= 0) this.waiters.splice(waiter, 1)[0]!.resolve(message);
    }
  }

  private send(message: Record<string, unknown>): void {
    const body = Buffer.from(JSON.stringify(message));
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  request(method: string, params: unknown): Promise<any> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (message) => (message.error ? reject(new Error(JSON.stringify(message.error))) : resolve(message.result)));
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** The next notification matching `match` (one already received counts, once). */
  waitFor(match: (message: Message) => boolean): Promise<Message> {
    const seen = this.notifications.findIndex(match);
    if (seen >= 0) return Promise.resolve(this.notifications.splice(seen, 1)[0]!);
    return new Promise((resolve) => this.waiters.push({ match, resolve: (message) => { this.notifications.splice(this.notifications.indexOf(message), 1); resolve(message); } }));
  }

  diagnostics(uri: string, version?: number): Promise<Message> {
    return this.waitFor((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri && (version === undefined || m.params.version === version));
  }
}
