import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after } from 'node:test';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type {
  CodeAction,
  CompletionItem,
  CompletionList,
  Diagnostic,
  Hover,
  InitializeResult,
  Position,
  PublishDiagnosticsParams,
  Range,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { MessageType } from 'vscode-languageserver-protocol';

export const REPO = join(__dirname, '..', '..', '..');
export const SERVER = join(REPO, 'server', 'out', 'server.js');
export const EXAMPLES = join(REPO, 'examples');

export function fileUri(path: string): string {
  return pathToFileURL(path).href;
}

/** A language client that talks to the real server process over stdio, as other editors do. */
export class LspClient {
  readonly process: ChildProcess;
  readonly connection: MessageConnection;
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  readonly logs: string[] = [];
  /** The messages logged as errors (`window/logMessage` of type Error). */
  readonly errors: string[] = [];
  /** How many publishDiagnostics arrived so far, in all and per uri. */
  publishes = 0;
  private readonly publishesOf = new Map<string, number>();
  stderr = '';
  private waiters: (() => void)[] = [];
  private versions = new Map<string, number>();
  private readonly opened = new Set<string>();

  constructor(
    private settings: Record<string, unknown> = {},
    options: { execArgv?: string[]; env?: Record<string, string> } = {},
  ) {
    this.process = spawn(process.execPath, [...(options.execArgv ?? []), SERVER, '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env },
    });
    this.process.stderr!.on('data', (d) => (this.stderr += String(d)));
    this.connection = createMessageConnection(
      new StreamMessageReader(this.process.stdout!),
      new StreamMessageWriter(this.process.stdin!),
    );
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.set(p.uri, p);
      this.publishes++;
      this.publishesOf.set(p.uri, (this.publishesOf.get(p.uri) ?? 0) + 1);
      this.wake();
    });
    this.connection.onNotification('window/logMessage', (p: { type: number; message: string }) => {
      this.logs.push(p.message);
      if (p.type === MessageType.Error) this.errors.push(p.message);
    });
    this.connection.onNotification('window/showMessage', (p: { message: string }) => this.logs.push(p.message));
    this.connection.onNotification('$/logTrace', (p: { message: string; verbose?: string }) =>
      this.logs.push(`${p.message} ${p.verbose ?? ''}`),
    );
    this.connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) =>
      p.items.map((item) => (item.section === 'fluxAzure' ? this.settings : null)),
    );
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onRequest('workspace/applyEdit', () => ({ applied: true }));
    this.connection.listen();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Initializes the server on one workspace folder, several (the first is the root) or none. */
  async initialize(roots?: string | readonly string[]): Promise<InitializeResult> {
    const folders = roots === undefined ? [] : typeof roots === 'string' ? [roots] : roots;
    const result = (await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: folders[0] ? fileUri(folders[0]) : null,
      workspaceFolders: folders.length ? folders.map((f, i) => ({ uri: fileUri(f), name: i ? `ws${i}` : 'ws' })) : null,
      capabilities: {
        workspace: {
          configuration: true,
          workspaceFolders: true,
          didChangeWatchedFiles: { dynamicRegistration: true },
          workspaceEdit: { documentChanges: true },
        },
        textDocument: {
          publishDiagnostics: { relatedInformation: true, versionSupport: true },
          completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown'] } },
          hover: { contentFormat: ['markdown'] },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'refactor'] } } },
        },
      },
    })) as InitializeResult;
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  open(uri: string, text: string, version = 1): void {
    this.versions.set(uri, version);
    this.opened.add(uri);
    void this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version, text },
    });
  }

  /** Replaces the whole text (a full-content change). */
  change(uri: string, text: string): number {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    void this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
    return version;
  }

  close(uri: string): void {
    this.opened.delete(uri);
    void this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  version(uri: string): number {
    return this.versions.get(uri) ?? 0;
  }

  /**
   * Waits for diagnostics on `uri` that satisfy `until` (default: any published for the current version). While the
   * document is open, only a publish for its version counts (not one of the file on disk, which has none).
   */
  async waitForDiagnostics(
    uri: string,
    until?: (d: Diagnostic[]) => boolean,
    timeoutMs = 60000,
  ): Promise<Diagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const p = this.diagnostics.get(uri);
      const fresh = p && (p.version === undefined ? !this.opened.has(uri) : p.version === this.version(uri));
      if (p && fresh && (!until || until(p.diagnostics))) return p.diagnostics;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `no matching diagnostics for ${uri}; last: ${JSON.stringify(p?.diagnostics ?? null)}\n${this.stderr}`,
        );
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Waits for the next diagnostics published for `uri` (whatever they are), from now on. */
  async nextDiagnostics(uri: string, timeoutMs = 60000): Promise<Diagnostic[]> {
    const seen = this.publishesOf.get(uri) ?? 0;
    const deadline = Date.now() + timeoutMs;
    while ((this.publishesOf.get(uri) ?? 0) === seen) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no diagnostics published for ${uri}\n${this.stderr}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.diagnostics.get(uri)!.diagnostics;
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position });
  }

  async completion(uri: string, position: Position): Promise<CompletionItem[]> {
    const r = (await this.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position })) as
      CompletionList | CompletionItem[] | null;
    return Array.isArray(r) ? r : (r?.items ?? []);
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    return this.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range,
      context: { diagnostics },
    });
  }

  private disposed = false;

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const exited = new Promise<void>((resolve) => {
      if (this.process.exitCode !== null || this.process.signalCode !== null) resolve();
      else this.process.once('exit', () => resolve());
    });
    // Writes racing the end of the process (answers to late server requests) must not surface as failures.
    this.process.stdin?.on('error', () => {});
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification('exit').catch(() => {});
    } catch {
      /* already gone */
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    this.process.kill();
    this.connection.dispose();
  }
}

/** Applies the text edits of a WorkspaceEdit for one uri to a text (edits must not overlap). */
export function applyEdit(text: string, edit: WorkspaceEdit, uri: string): string {
  const edits = [
    ...(edit.changes?.[uri] ?? []),
    ...(edit.documentChanges ?? []).flatMap((c) => ('textDocument' in c && c.textDocument.uri === uri ? c.edits : [])),
  ];
  const lines = text.split('\n');
  const offset = (p: Position) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const sorted = edits
    .map((e) => ({ s: offset(e.range.start), e: offset(e.range.end), t: e.newText }))
    .sort((a, b) => b.s - a.s);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.s) + e.t + out.slice(e.e);
  return out;
}

export function positionOf(text: string, needle: string, delta = 0, occurrence = 0): Position {
  let index = -1;
  for (let i = 0; i <= occurrence; i++) index = text.indexOf(needle, index + 1);
  if (index < 0) throw new Error(`'${needle}' not found`);
  const before = text.slice(0, index + delta);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

/** A server with examples/ as its workspace for the tests of one file, stopped after them. */
export function examplesServer(): { client: LspClient; ready: Promise<InitializeResult> } {
  const client = new LspClient();
  const ready = client.initialize(EXAMPLES);
  after(() => client.dispose());
  return { client, ready };
}

/** The URI and text of a file of examples/. */
export function readExample(rel: string): { uri: string; text: string } {
  const path = join(EXAMPLES, rel);
  return { uri: fileUri(path), text: readFileSync(path, 'utf8') };
}
