import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  DEFAULT_SETTINGS,
  EXTENSION_SOURCE,
  GrantTextRequest,
  IntegrationsRequest,
  SETTINGS_SECTION,
  type GrantTextParams,
  type ServerSettings,
} from '../../shared/src/protocol';
import { DocumentStore } from './documentStore';
import { WorkspaceIndex } from './workspace/workspaceIndex';
import { readYamlFile, uriToPath } from './workspace/files';
import { parseManifest, type ManifestFile } from './document/manifest';
import { collectIntegrations } from './features/integrations';
import { grantText } from './features/grants';
import { computeDiagnostics } from './features/diagnostics';
import { provideHover } from './features/hover';
import { provideCodeActions } from './features/codeActions';
import { provideCompletion } from './features/completion';
import type { FeatureContext } from './features/context';

/** How long diagnostics wait after the last edit before they are computed. */
const DEBOUNCE_MS = 25;

/** Wires documents, the workspace index and the features to the LSP connection. The only module that touches it. */
export function startSession(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const store = new DocumentStore();
  const index = new WorkspaceIndex((message) => connection.console.info(message));
  let settings: ServerSettings = DEFAULT_SETTINGS;
  let hasConfiguration = false;
  let canWatch = false;
  let hasFolders = false;
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  /** Until the first workspace scan ends, cross-file facts are incomplete: diagnostics wait for it. */
  let indexReady = false;

  const context = (): FeatureContext => ({ index, settings });

  function modelOf(uri: string) {
    const doc = documents.get(uri);
    return doc ? store.get(doc) : undefined;
  }

  function validate(uri: string): void {
    pending.delete(uri);
    const doc = documents.get(uri);
    if (!doc || !indexReady) return; // the end of the first scan revalidates every open document
    const version = doc.version;
    let diagnostics: ReturnType<typeof computeDiagnostics> = [];
    try {
      const file = store.get(doc);
      if (file && settings.diagnostics.enable) diagnostics = computeDiagnostics(file, context());
    } catch (err) {
      connection.console.error(`diagnostics failed for ${uri}: ${describe(err)}`);
    }
    // Publish only for the version that was analysed; a newer edit schedules its own run.
    if (documents.get(uri)?.version === version) void connection.sendDiagnostics({ uri, version, diagnostics });
  }

  function schedule(uri: string, delay = DEBOUNCE_MS): void {
    const existing = pending.get(uri);
    if (existing) clearTimeout(existing);
    pending.set(
      uri,
      setTimeout(() => validate(uri), delay),
    );
  }

  function revalidateOpen(except?: string): void {
    for (const doc of documents.all()) if (doc.uri !== except) schedule(doc.uri, DEBOUNCE_MS * 4);
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    hasConfiguration = !!params.capabilities.workspace?.configuration;
    canWatch = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    hasFolders = !!params.capabilities.workspace?.workspaceFolders;
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    index.setRoots(folders.map(uriToPath).filter((p): p is string => !!p));
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        completionProvider: { triggerCharacters: [':', ' ', '/', '-', '.'], resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: `${EXTENSION_SOURCE}-language-server`, version: '0.1.0' },
    };
  });

  async function loadSettings(): Promise<void> {
    if (!hasConfiguration) return;
    try {
      const value = (await connection.workspace.getConfiguration(SETTINGS_SECTION)) as Partial<ServerSettings> | null;
      settings = {
        ...DEFAULT_SETTINGS,
        ...(value ?? {}),
        diagnostics: { ...DEFAULT_SETTINGS.diagnostics, ...(value?.diagnostics ?? {}) },
      };
      index.setVersionOverride(settings.fluxVersion);
    } catch (err) {
      connection.console.warn(`could not read settings: ${describe(err)}`);
    }
  }

  connection.onInitialized(async () => {
    if (hasFolders) {
      connection.workspace.onDidChangeWorkspaceFolders(async (event) => {
        index.updateRoots(
          event.added.map((f) => uriToPath(f.uri)).filter((p): p is string => !!p),
          event.removed.map((f) => uriToPath(f.uri)).filter((p): p is string => !!p),
        );
        await index.scan();
        revalidateOpen();
      });
    }
    if (canWatch) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.{yaml,yml}' }],
      });
    }
    await loadSettings();
    const started = Date.now();
    try {
      await index.scan();
      connection.console.info(`indexed ${index.fileCount} YAML files in ${Date.now() - started} ms`);
    } finally {
      indexReady = true;
      for (const doc of documents.all()) schedule(doc.uri, 0);
    }
  });

  connection.onDidChangeConfiguration(async () => {
    await loadSettings();
    revalidateOpen();
  });

  connection.onDidChangeWatchedFiles(async ({ changes }) => {
    let changed = false;
    for (const change of changes) {
      if (documents.get(change.uri)) continue; // open documents are indexed from the editor's text
      if (change.type === FileChangeType.Deleted) changed = index.remove(change.uri) || changed;
      else changed = (await index.refreshFromDisk(change.uri)) || changed;
    }
    if (changed) revalidateOpen();
  });

  documents.onDidOpen(({ document }) => schedule(document.uri, 0));
  documents.onDidChangeContent(({ document }) => {
    const file = store.get(document);
    if (file && index.updateFromOpen(file)) revalidateOpen(document.uri);
    schedule(document.uri);
  });
  documents.onDidClose(({ document }) => {
    const t = pending.get(document.uri);
    if (t) clearTimeout(t);
    pending.delete(document.uri);
    store.evict(document.uri);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
    void index.refreshFromDisk(document.uri).then((changed) => changed && revalidateOpen());
  });

  connection.onHover((params) =>
    guard(
      'hover',
      () => {
        const file = modelOf(params.textDocument.uri);
        return file ? provideHover(file, params.position, context()) : null;
      },
      null,
    ),
  );

  connection.onCompletion((params) =>
    guard(
      'completion',
      () => {
        const file = modelOf(params.textDocument.uri);
        return file ? provideCompletion(file, params.position, context()) : null;
      },
      null,
    ),
  );

  connection.onCodeAction((params) =>
    guard(
      'codeAction',
      () => {
        const file = modelOf(params.textDocument.uri);
        return file ? provideCodeActions(file, params.range, params.context.diagnostics, context()) : [];
      },
      [],
    ),
  );

  // Azure permissions view: the workspace's integrations (open documents as edited, the rest from disk).
  connection.onRequest(IntegrationsRequest.method, async () => {
    await index.scan();
    const files: ManifestFile[] = [];
    for (const uri of index.uris()) {
      const open = documents.get(uri);
      if (open) {
        const file = store.get(open);
        if (file) files.push(file);
        continue;
      }
      const path = uriToPath(uri);
      const read = path ? await readYamlFile(path) : undefined;
      if (read && 'text' in read) files.push(parseManifest(uri, 0, read.text));
    }
    return collectIntegrations(files, index);
  });
  connection.onRequest(GrantTextRequest.method, (params: GrantTextParams) => grantText(params));

  connection.onShutdown(() => {
    for (const t of pending.values()) clearTimeout(t);
    pending.clear();
  });

  /** A feature that throws answers with its fallback and a log line: the server never dies of bad input. */
  function guard<T>(name: string, run: () => T, fallback: T): T {
    try {
      return run();
    } catch (err) {
      connection.console.error(`${name} failed: ${describe(err)}`);
      return fallback;
    }
  }

  documents.listen(connection);
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err);
}
