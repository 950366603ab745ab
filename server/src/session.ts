import {
  DidChangeWatchedFilesNotification,
  FileChangeType,
  TextDocuments,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  DEFAULT_SETTINGS,
  GrantTextRequest,
  IntegrationsRequest,
  PatchContextRequest,
  PatchEditRequest,
  SETTINGS_SECTION,
  type GrantTextParams,
  type PatchContextParams,
  type PatchEditParams,
  type ServerSettings,
} from '../../shared/src/protocol';
import { DocumentStore } from './documentStore';
import { WorkspaceIndex } from './workspace/workspaceIndex';
import { readYamlFile, uriToPath } from './workspace/files';
import { parseManifest, type ManifestFile } from './document/manifest';
import { collectIntegrations } from './features/integrations';
import { grantText } from './features/grants';
import { declinedDiagnostic, diagnosticsSteps } from './features/diagnostics';
import { factsSteps } from './workspace/facts';
import { ValidationQueue } from './validation';
import { INITIALIZE_RESULT } from './capabilities';
import { warmUp, warmUpRequests } from './startup/warmUp';
import { provideHover } from './features/hover';
import { provideCodeActions } from './features/codeActions';
import { provideCompletion } from './features/completion';
import type { FeatureContext } from './features/context';
import { providePatchContext, providePatchEdit, type FileLoader } from './features/patchContext';
import { readFileSync } from 'node:fs';

/** How long diagnostics wait after the last edit before they are computed. */
const DEBOUNCE_MS = 25;
/** Longest stretch of analysis before pending requests are answered. */
const SLICE_MS = 12;

/**
 * Wires documents, the workspace index and the features to the LSP connection. The only module that touches it.
 * With `initializeParams`, `initialize` was already answered (from `INITIALIZE_RESULT`) and `initialized` received.
 */
/** What the caller learns about the session's life. */
export interface SessionHooks {
  /** Called once start-up work (first scan, warm-up) is done and the server is idle. */
  readonly warm?: () => void;
}

export function startSession(
  connection: Connection,
  initializeParams?: InitializeParams,
  hooks: SessionHooks = {},
): void {
  const documents = new TextDocuments<TextDocument>({
    create: (uri, languageId, version, content) => TextDocument.create(uri, languageId, version, content),
    update: (document, changes, version) => {
      store.noteChanges(document, changes, version);
      return TextDocument.update(document, changes, version);
    },
  });
  const index = new WorkspaceIndex((message) => connection.console.info(message));
  const store = new DocumentStore((uri, text) => index.parsedFromDisk(uri, text));
  index.useOpenDocuments((uri) => {
    const doc = documents.get(uri);
    return doc ? store.get(doc) : undefined;
  });
  let settings: ServerSettings = DEFAULT_SETTINGS;
  let hasConfiguration = false;
  let canWatch = false;
  let hasFolders = false;

  const context = (): FeatureContext => ({ index, settings });

  function modelOf(uri: string) {
    store.markActive(uri);
    const doc = documents.get(uri);
    return doc ? store.get(doc) : undefined;
  }

  /**
   * Diagnostics run in a queue, in slices, and only once the first workspace scan has ended (until then cross-file
   * facts are incomplete). Each run first indexes the document's current text.
   */
  const queue = new ValidationQueue(
    {
      document: (uri) => documents.get(uri),
      openUris: () => documents.keys(),
      model: (doc) => store.get(doc),
      *analyse(doc, file) {
        const declined = store.declined.get(doc.uri);
        if (declined) return [declinedDiagnostic(declined)];
        if (!file) return [];
        if (!index.indexedAs(file)) {
          yield* factsSteps(file);
          if (index.updateFromOpen(file)) revalidateOpen(doc.uri);
        }
        if (!settings.diagnostics.enable) return [];
        return yield* diagnosticsSteps(file, context());
      },
      publish: (uri, version, diagnostics) => void connection.sendDiagnostics({ uri, version, diagnostics }),
      error: (message) => connection.console.error(message),
    },
    { debounceMs: DEBOUNCE_MS, sliceMs: SLICE_MS },
  );
  /** Opened documents are analysed at once; the change event that follows an open must not delay that. */
  const justOpened = new Set<string>();

  function revalidateOpen(except?: string): void {
    queue.scheduleAll(except);
  }

  const initialize = (params: InitializeParams): InitializeResult => {
    hasConfiguration = !!params.capabilities.workspace?.configuration;
    canWatch = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    hasFolders = !!params.capabilities.workspace?.workspaceFolders;
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    index.setRoots(folders.map(uriToPath).filter((p): p is string => !!p));
    return INITIALIZE_RESULT;
  };

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

  const initialized = async (): Promise<void> => {
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
    // The scan does not depend on settings: read them meanwhile (they matter from the first analysis on).
    const settingsLoaded = loadSettings();
    // Exercise the parser, facts and rules on a sample first: the scan below then runs on warmer code.
    guard('warm-up', () => warmUp(context()), undefined);
    const started = Date.now();
    try {
      await index.scan();
      connection.console.info(`indexed ${index.fileCount} YAML files in ${Date.now() - started} ms`);
    } finally {
      await settingsLoaded;
      queue.start();
      // Compile the features' code off the request path (the first completion would otherwise pay for it).
      setImmediate(() => {
        guard('warm-up', () => warmUp(context()), undefined);
        warmUpRequests(context())
          .catch((err) => connection.console.error(`warm-up failed: ${describe(err)}`))
          .finally(() => setTimeout(() => guard('after warm-up', () => hooks.warm?.(), undefined), 200).unref());
      });
    }
  };

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

  documents.onDidOpen(({ document }) => {
    store.markActive(document.uri);
    justOpened.add(document.uri);
    queue.schedule(document.uri, 0);
  });
  // The document is parsed and indexed when its diagnostics run (or a request needs it), not on every keystroke.
  documents.onDidChangeContent(({ document }) => {
    if (justOpened.delete(document.uri)) return;
    store.markActive(document.uri);
    queue.schedule(document.uri);
  });
  documents.onDidClose(({ document }) => {
    justOpened.delete(document.uri);
    queue.cancel(document.uri);
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
        return file
          ? provideCodeActions(file, params.range, params.context.diagnostics, context(), params.context.only)
          : [];
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

  /** The open document's model, else the file read from disk (for patch targets in other files). */
  const loadFile: FileLoader = (uri) => {
    const open = modelOf(uri);
    if (open) return open;
    const path = uriToPath(uri);
    if (!path) return undefined;
    try {
      return parseManifest(uri, 0, readFileSync(path, 'utf8'));
    } catch {
      return undefined;
    }
  };
  const patchSubject = (uri: string): ManifestFile | undefined => loadFile(uri);

  // Patch requests wait for the first workspace scan: suggestions come from every Flux object of the cluster.
  connection.onRequest(PatchContextRequest.method, async (params: PatchContextParams) => {
    await index.scan();
    return guard(
      'patchContext',
      () => {
        const file = patchSubject(params.uri);
        return file ? providePatchContext(params, file, context(), loadFile) : null;
      },
      null,
    );
  });

  connection.onRequest(PatchEditRequest.method, async (params: PatchEditParams) => {
    await index.scan();
    return guard(
      'patchEdit',
      () => {
        const file = patchSubject(params.uri);
        return file
          ? providePatchEdit(params, file, context(), loadFile)
          : { notes: [], error: `cannot read ${params.uri}` };
      },
      { notes: [], error: 'the language server failed to compute the edit (see its log)' },
    );
  });

  connection.onShutdown(() => queue.dispose());

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
  if (initializeParams) {
    // Started after `initialize` was answered (see server.ts): catch up with what the client sent.
    initialize(initializeParams);
    void initialized();
  } else {
    connection.onInitialize(initialize);
    connection.onInitialized(initialized);
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err);
}
