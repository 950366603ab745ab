import {
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  FileChangeType,
  LSPErrorCodes,
  ResponseError,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import {
  FederatedCredentialTextRequest,
  FileStatusRequest,
  GrantTextRequest,
  IntegrationsRequest,
  PatchContextRequest,
  PatchEditRequest,
  RenderedObjectRequest,
  SETTINGS_SECTION,
  type ServerSettings,
} from '../../shared/src/protocol';
import { uriToPath } from './workspace/files';
import { ValidationQueue } from './validation';
import { WorkspaceDiagnostics } from './workspaceDiagnostics';
import { countDispatchedMessages } from './messages';
import { INITIALIZE_RESULT } from './capabilities';
import { warmUp, warmUpRequests } from './startup/warmUp';
import { CancelledError, createFluxService } from './service';

/** How long diagnostics wait after the last edit before they are computed. */
const DEBOUNCE_MS = 25;
/** Longest stretch of analysis before pending requests are answered. */
const SLICE_MS = 12;
/** Closed files with diagnostics at most, and diagnostics in them (see `WorkspaceDiagnostics`). */
const MAX_WORKSPACE_FILES = 2_000;
const MAX_WORKSPACE_DIAGNOSTICS = 10_000;

/** What the caller learns about the session's life. */
export interface SessionHooks {
  /** Called once start-up work (first scan, warm-up) is done and the server is idle. */
  readonly warm?: () => void;
  /** How many protocol messages the connection has dispatched (lets long work yield to a burst of them). */
  readonly messagesDispatched?: () => number;
}

/**
 * The LSP adapter over the language service (`service.ts`): it turns notifications and requests into service calls,
 * publishes diagnostics through the validation queue and owns nothing else. The only module that touches the
 * connection. With `initializeParams`, `initialize` was already answered (from `INITIALIZE_RESULT`) and
 * `initialized` received.
 */
export function startSession(
  connection: Connection,
  initializeParams?: InitializeParams,
  hooks: SessionHooks = {},
): void {
  if (hooks.messagesDispatched) countDispatchedMessages(hooks.messagesDispatched);
  const log = {
    info: (message: string) => connection.console.info(message),
    error: (message: string) => connection.console.error(message),
  };
  const service = createFluxService({
    log,
    onFactsChanged: (except) => {
      queue.scheduleAll(except);
      workspace.factsChanged();
    },
  });
  let hasConfiguration = false;
  let canWatch = false;
  let hasFolders = false;

  /**
   * Diagnostics run in a queue, in slices, and only once the first workspace scan has ended (until then cross-file
   * facts are incomplete). Each run first indexes the document's current text.
   */
  const queue = new ValidationQueue(
    {
      document: (uri) => service.document(uri),
      openUris: () => service.openUris(),
      model: (doc) => service.model(doc.uri),
      analyse: (doc) => service.diagnosticsSteps(doc.uri),
      analyseLocal: (doc) => service.localDiagnosticsSteps(doc.uri),
      publish: (uri, version, diagnostics) => void connection.sendDiagnostics({ uri, version, diagnostics }),
      error: log.error,
    },
    { debounceMs: DEBOUNCE_MS, sliceMs: SLICE_MS },
  );

  /** With `fluxAzure.diagnostics.scope` `workspace`: the files nobody has open, as they are on disk. */
  const workspace = new WorkspaceDiagnostics(
    {
      uris: () => service.index.uris().filter(inWorkspace),
      isOpen: (uri) => !!service.document(uri),
      judge: (uri) => service.closedFileFindingsSteps(uri),
      holds: (basis) => service.findingsHold(basis),
      busy: () => queue.busy,
      publish: (uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }),
      info: log.info,
      error: log.error,
    },
    {
      debounceMs: DEBOUNCE_MS * 4,
      sliceMs: SLICE_MS,
      maxFiles: MAX_WORKSPACE_FILES,
      maxDiagnostics: MAX_WORKSPACE_DIAGNOSTICS,
    },
  );

  const inWorkspace = (uri: string) => {
    const path = uriToPath(uri);
    return !!path && !!service.index.rootOf(path);
  };
  const paths = (uris: readonly string[]) => uris.map(uriToPath).filter((p): p is string => !!p);

  const initialize = (params: InitializeParams): InitializeResult => {
    hasConfiguration = !!params.capabilities.workspace?.configuration;
    canWatch = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    hasFolders = !!params.capabilities.workspace?.workspaceFolders;
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    service.setRoots(paths(folders));
    return INITIALIZE_RESULT;
  };

  async function loadSettings(): Promise<void> {
    if (!hasConfiguration) return;
    try {
      const value = (await connection.workspace.getConfiguration(SETTINGS_SECTION)) as Partial<ServerSettings> | null;
      service.configure(value);
      const { enable, scope } = service.settings.diagnostics;
      workspace.setEnabled(enable && scope !== 'openFiles');
    } catch (err) {
      connection.console.warn(`could not read settings: ${describe(err)}`);
    }
  }

  const initialized = async (): Promise<void> => {
    if (hasFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((event) =>
        service.updateRoots(paths(event.added.map((f) => f.uri)), paths(event.removed.map((f) => f.uri))),
      );
    }
    if (canWatch) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.{yaml,yml}' }],
      });
    }
    // The scan does not depend on settings: read them meanwhile (they matter from the first analysis on).
    const settingsLoaded = loadSettings();
    // Files open while the scan runs show what no other file can change as soon as the settings are known.
    void settingsLoaded.then(() => queue.startLocal());
    // Exercise the parser, facts and rules on a sample first: the scan below then runs on warmer code.
    guard('warm-up', () => warmUp(service.context), undefined);
    try {
      await service.scan();
    } finally {
      await settingsLoaded;
      queue.start();
      workspace.start();
      // Compile the features' code off the request path (the first completion would otherwise pay for it).
      setImmediate(() => {
        guard('warm-up', () => warmUp(service.context), undefined);
        warmUpRequests(service.context)
          .catch((err) => connection.console.error(`warm-up failed: ${describe(err)}`))
          .finally(() => setTimeout(() => guard('after warm-up', () => hooks.warm?.(), undefined), 200).unref());
      });
    }
  };

  connection.onDidChangeConfiguration(async () => {
    const before = JSON.stringify(service.settings);
    await loadSettings();
    queue.scheduleAll();
    if (JSON.stringify(service.settings) !== before) workspace.settingsChanged();
  });

  connection.onDidChangeWatchedFiles(async ({ changes }) => {
    const files = changes.map((c) => ({ uri: c.uri, deleted: c.type === FileChangeType.Deleted }));
    await service.filesChanged(files);
    for (const f of files) if (f.deleted) workspace.deleted(f.uri);
    workspace.changedOnDisk(files.filter((f) => !f.deleted).map((f) => f.uri));
  });

  // The document is parsed and indexed when its diagnostics run (or a request needs it), not on every keystroke.
  connection.onDidOpenTextDocument(({ textDocument: d }) => {
    service.open(d.uri, d.languageId, d.version, d.text);
    workspace.opened(d.uri);
    queue.schedule(d.uri, 0);
  });
  connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
    if (service.change(textDocument.uri, textDocument.version, contentChanges)) queue.schedule(textDocument.uri);
  });
  connection.onDidCloseTextDocument(({ textDocument }) => {
    queue.cancel(textDocument.uri);
    service.close(textDocument.uri);
    // A file of the folders is judged again from disk in the workspace scope; otherwise its diagnostics go.
    if (!inWorkspace(textDocument.uri) || !workspace.closed(textDocument.uri))
      void connection.sendDiagnostics({ uri: textDocument.uri, diagnostics: [] });
  });

  connection.onHover((params) => guard('hover', () => service.hover(params.textDocument.uri, params.position), null));
  connection.onCompletion((params) =>
    guard('completion', () => service.completion(params.textDocument.uri, params.position), null),
  );
  connection.onCodeAction((params) =>
    guard(
      'codeAction',
      () => service.codeActions(params.textDocument.uri, params.range, params.context.diagnostics, params.context.only),
      [],
    ),
  );

  // Azure permissions view: the workspace's integrations (open documents as edited, the rest from disk).
  connection.onRequest(IntegrationsRequest, (token) => request('integrations', () => service.integrations(token)));
  connection.onRequest(GrantTextRequest, (params) => request('grantText', async () => service.grantText(params)));
  connection.onRequest(FederatedCredentialTextRequest, (params) =>
    request('federatedCredentialText', async () => service.federatedCredentialText(params)),
  );
  connection.onRequest(PatchContextRequest, (params, token) =>
    request('patchContext', () => service.patchContext(params, token), null),
  );
  connection.onRequest(PatchEditRequest, (params, token) =>
    request('patchEdit', () => service.patchEdit(params, token), {
      notes: [],
      error: 'the language server failed to compute the edit (see its log)',
    }),
  );

  // Navigation and the rendered preview (features/navigation.ts, features/renderedObject.ts).
  connection.onDefinition((params) =>
    guard('definition', () => service.definition(params.textDocument.uri, params.position), []),
  );
  connection.onReferences((params) =>
    guard(
      'references',
      () => service.references(params.textDocument.uri, params.position, params.context.includeDeclaration),
      [],
    ),
  );
  connection.onRequest(RenderedObjectRequest, (params) =>
    request('renderedObject', async () => service.renderedObject(params), {
      objects: [],
      reason: 'failed (see the log)',
    }),
  );

  // The language status item of a YAML file (client/src/languageStatus.ts).
  connection.onRequest(FileStatusRequest, (params) =>
    request('fileStatus', async () => service.fileStatus(params.uri), { clusters: [] }),
  );

  connection.onShutdown(() => {
    queue.dispose();
    workspace.dispose();
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

  /**
   * `guard` for the extension's own requests: one the client cancelled is answered as cancelled; a failure is logged
   * and answered with the fallback, or without one as an error the client shows.
   */
  async function request<T>(name: string, run: () => Promise<T>, fallback?: T): Promise<T | ResponseError<void>> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof CancelledError) return new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
      connection.console.error(`${name} failed: ${describe(err)}`);
      if (fallback !== undefined) return fallback;
      return new ResponseError(ErrorCodes.InternalError, err instanceof Error ? err.message : String(err));
    }
  }

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
