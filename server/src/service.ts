import type {
  CodeAction,
  CompletionList,
  Diagnostic,
  Hover,
  Location,
  Position,
  Range,
} from 'vscode-languageserver-types';
import type { TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { EditableText } from './editableText';
import {
  DEFAULT_SETTINGS,
  type FederatedCredentialTextParams,
  type FileStatus,
  type GrantTextParams,
  type GrantTextResult,
  type IntegrationsResult,
  type PatchContextParams,
  type PatchContext,
  type PatchEditParams,
  type PatchEditResult,
  type RenderedObjectParams,
  type RenderedObjectResult,
  type ServerSettings,
} from '../../shared/src/protocol';
import { parseManifest, ParseBudget, type ManifestFile } from './document/manifest';
import { DocumentStore } from './documentStore';
import { provideCodeActions } from './features/codeActions';
import { provideCompletion } from './features/completion';
import type { FeatureContext } from './features/context';
import {
  declinedDiagnostic,
  diagnosticsSteps,
  findingsHold,
  findingsSteps,
  type FindingsBasis,
} from './features/diagnostics';
import { RuleResultCache } from './features/ruleCache';
import { federatedCredentialText, grantText } from './features/grants';
import { provideHover } from './features/hover';
import { collectIntegrations } from './features/integrations';
import { provideDefinition, provideReferences } from './features/navigation';
import { provideRenderedObject } from './features/renderedObject';
import { providePatchContext, providePatchEdit, type FileLoader } from './features/patchContext';
import { factsSteps } from './workspace/facts';
import { DISK_FILES, uriToPath, type WorkspaceFiles } from './workspace/files';
import { WorkspaceIndex } from './workspace/workspaceIndex';
import { injectedFault } from './testFaults';

/** Long work checks this between steps (the LSP `CancellationToken` fits). */
export interface Cancellation {
  readonly isCancellationRequested: boolean;
}

/** Thrown by long work whose caller has given up; the LSP adapter answers such a request as cancelled. */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
  }
}

function checkCancelled(token: Cancellation | undefined): void {
  if (token?.isCancellationRequested) throw new CancelledError();
}

/** Where the service reports what it does (the LSP adapter sends it to the client's log; the CLI drops it). */
export interface ServiceLog {
  info(message: string): void;
  error(message: string): void;
}

export interface FluxServiceOptions {
  /** Workspace folders (file system paths). */
  readonly roots?: readonly string[];
  readonly settings?: Partial<ServerSettings>;
  /** Where files are found and read: the disk unless given. */
  readonly files?: WorkspaceFiles;
  /** Milliseconds, for the durations the service reports: `Date.now` unless given. */
  readonly clock?: () => number;
  readonly log?: ServiceLog;
  /**
   * Keep the model of every file the scan reads (a one-shot analysis of all files, as the CLI does: each file is
   * then read and parsed once for facts and rules alike). Default: only large files, within the memory budget.
   */
  readonly keepEveryModel?: boolean;
  /**
   * Called when facts other documents depend on have changed (a file changed on disk, an open document's facts, the
   * folders, the settings): open documents other than `except` must be analysed again.
   */
  readonly onFactsChanged?: (except?: string) => void;
}

/** One file change on disk, as the editor's watcher reports it. */
export interface FileChange {
  readonly uri: string;
  readonly deleted: boolean;
}

/**
 * The language service: open documents, the workspace index, the caches and the memory budget, and every feature
 * over them. The LSP session (`session.ts`), the CLI (`batch.ts`), the warm-up and the tests all drive this one
 * object; none of them assembles features itself.
 */
export interface FluxService {
  readonly index: WorkspaceIndex;
  readonly settings: ServerSettings;
  /** What features read besides the document (the index, the settings, the caches). */
  readonly context: FeatureContext;

  /** Replaces the settings (missing keys take their defaults). */
  configure(settings: Partial<ServerSettings> | null | undefined): void;
  setRoots(roots: readonly string[]): void;
  updateRoots(added: readonly string[], removed: readonly string[]): Promise<void>;
  /** Reads every YAML file of the folders (once; later calls wait for the same scan). */
  scan(token?: Cancellation): Promise<void>;
  /** Files changed on disk (open documents are indexed from their editor text and skipped). */
  filesChanged(changes: readonly FileChange[]): Promise<void>;

  open(uri: string, languageId: string, version: number, text: string): TextDocument;
  /** Applies the editor's changes; a version not newer than the document's is ignored (returns false). */
  change(uri: string, version: number, changes: readonly TextDocumentContentChangeEvent[]): boolean;
  close(uri: string): void;
  document(uri: string): TextDocument | undefined;
  openUris(): Iterable<string>;
  /** The model of an open document's current version (undefined when closed or declined: too large, binary). */
  model(uri: string): ManifestFile | undefined;
  /** The open document's model, else the file as it is on disk. */
  load(uri: string): ManifestFile | undefined;

  /**
   * The diagnostics of an open document, as steps (yields between documents of the file, so the caller may pause or
   * drop the run). Indexes the document's current text first.
   */
  diagnosticsSteps(uri: string): Generator<void, Diagnostic[], void>;
  /**
   * While the first scan runs: the diagnostics of an open document that no other file can change (its rules read
   * nothing of the workspace), so they are the same as after the scan; the others follow once it has ended.
   */
  localDiagnosticsSteps(uri: string): Generator<void, Diagnostic[], void>;
  /**
   * The diagnostics of a file that is not open, as it is on disk, with what they depend on (see `findingsHold`); as
   * steps, like `diagnosticsSteps`. Undefined when the file is open, unreadable or declined (as the CLI skips it).
   */
  closedFileFindingsSteps(
    uri: string,
  ): Generator<void, { diagnostics: Diagnostic[]; basis: FindingsBasis } | undefined, void>;
  /** Whether findings judged on `basis` still stand with the index's facts now (for the same text). */
  findingsHold(basis: FindingsBasis): boolean;
  /** Diagnostics of a model at once (the CLI: a file of the scan, or one read from disk). */
  diagnosticsOf(file: ManifestFile, only?: (code: string) => boolean): Diagnostic[];
  hover(uri: string, position: Position): Hover | null;
  completion(uri: string, position: Position): CompletionList | null;
  codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): CodeAction[];
  /** The workspace's Azure integrations (open documents as edited, the rest from disk). */
  integrations(token?: Cancellation): Promise<IntegrationsResult>;
  grantText(params: GrantTextParams): GrantTextResult;
  federatedCredentialText(params: FederatedCredentialTextParams): GrantTextResult;
  patchContext(params: PatchContextParams, token?: Cancellation): Promise<PatchContext | null>;
  patchEdit(params: PatchEditParams, token?: Cancellation): Promise<PatchEditResult>;
  /** Where the reference at a position leads (another file's ServiceAccount, Secret, source, variable value...). */
  definition(uri: string, position: Position): Location[];
  /** Every object naming the object at a position (or the one a reference there names). */
  references(uri: string, position: Position, includeDeclaration: boolean): Location[];
  /** The object at a position as Flux applies it, per cluster, with each value's origin. */
  renderedObject(params: RenderedObjectParams): RenderedObjectResult;
  /** The clusters and Flux version a file is judged against (nothing while the workspace scan runs). */
  fileStatus(uri: string): FileStatus;
}

export function createFluxService(options: FluxServiceOptions = {}): FluxService {
  const files = options.files ?? DISK_FILES;
  const clock = options.clock ?? Date.now;
  const log = options.log;
  const factsChanged = (except?: string) => options.onFactsChanged?.(except);

  const budget = new ParseBudget();
  const index = new WorkspaceIndex(
    (message) => log?.info(message),
    options.keepEveryModel ?? false,
    budget,
    files,
    (message) => log?.error(message),
  );
  const documents = new Map<string, EditableText>();
  const store = new DocumentStore(budget, (uri, text) => index.parsedFromDisk(uri, text));
  index.useOpenDocuments((uri) => {
    const doc = documents.get(uri);
    return doc ? store.get(doc) : undefined;
  });
  const ruleResults = new RuleResultCache();
  const onRuleError = (rule: string, err: unknown) =>
    log?.error(`rule ${rule} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);

  let settings = withDefaults(options.settings);
  let context = makeContext();
  function makeContext(): FeatureContext {
    return { index, settings, ruleResults, onRuleError: log ? onRuleError : undefined };
  }
  index.setRoots([...(options.roots ?? [])]);
  index.setVersionOverride(settings.fluxVersion);

  function model(uri: string): ManifestFile | undefined {
    store.markActive(uri);
    const doc = documents.get(uri);
    return doc ? store.get(doc) : undefined;
  }

  /**
   * Indexes the current text of every open document that is not indexed yet (an edit is indexed when its diagnostics
   * run): a request that answers with places in other files or in the renderings must not read them from an older
   * text, whose ranges no longer fit the document.
   */
  function indexOpenDocuments(): void {
    for (const [uri, doc] of documents) {
      const file = store.get(doc);
      if (file && index.updateFromOpen(file)) factsChanged(uri);
    }
  }

  const inFolders = (uri: string) => {
    const path = uriToPath(uri);
    return !!path && !!index.rootOf(path);
  };

  const load: FileLoader = (uri) => {
    const open = model(uri);
    if (open) return open;
    const path = uriToPath(uri);
    const read = path ? files.readSync(path) : undefined;
    return read && 'text' in read ? parseManifest(uri, 0, read.text, undefined, undefined, budget) : undefined;
  };

  const service: FluxService = {
    index,
    get settings() {
      return settings;
    },
    get context() {
      return context;
    },

    configure(next) {
      settings = withDefaults(next ?? undefined);
      context = makeContext();
      index.setVersionOverride(settings.fluxVersion);
    },
    setRoots(roots) {
      index.setRoots([...roots]);
    },
    async updateRoots(added, removed) {
      index.updateRoots([...added], [...removed]);
      await index.scan();
      factsChanged();
    },
    async scan(token) {
      checkCancelled(token);
      const started = clock();
      const before = index.fileCount;
      await index.scan();
      if (index.fileCount !== before) log?.info(`indexed ${index.fileCount} YAML files in ${clock() - started} ms`);
      checkCancelled(token);
    },
    async filesChanged(changes) {
      let changed = false;
      for (const change of changes) {
        if (documents.has(change.uri)) continue; // open documents are indexed from the editor's text
        // A file outside the folders (one a removed folder held, say) is not indexed, as a fresh scan would not.
        if (change.deleted || !inFolders(change.uri)) changed = index.remove(change.uri) || changed;
        else changed = (await index.refreshFromDisk(change.uri)) || changed;
      }
      if (changed) factsChanged();
    },

    open(uri, languageId, version, text) {
      const doc = new EditableText(uri, languageId, version, text);
      documents.set(uri, doc);
      store.markActive(uri);
      return doc;
    },
    change(uri, version, changes) {
      const doc = documents.get(uri);
      if (!doc || version <= doc.version) return false;
      store.noteChanges(doc, changes, version);
      doc.update(changes, version);
      store.markActive(uri);
      return true;
    },
    close(uri) {
      if (!documents.delete(uri)) return;
      store.evict(uri);
      // The disk copy replaces the editor's text in the index; a file outside the folders leaves it.
      const changed = inFolders(uri) ? index.refreshFromDisk(uri) : Promise.resolve(index.remove(uri));
      void changed.then((c) => c && factsChanged());
    },
    document: (uri) => documents.get(uri),
    openUris: () => documents.keys(),
    model,
    load,

    *diagnosticsSteps(uri) {
      const doc = documents.get(uri);
      if (!doc) return [];
      const file = store.get(doc);
      const declined = store.declined.get(uri);
      if (declined) return [declinedDiagnostic(declined)];
      if (!file) return [];
      if (!index.indexedAs(file)) {
        yield* factsSteps(file);
        if (index.updateFromOpen(file)) factsChanged(uri);
      }
      if (!settings.diagnostics.enable) return [];
      return yield* diagnosticsSteps(file, context);
    },
    *localDiagnosticsSteps(uri) {
      const doc = documents.get(uri);
      if (!doc) return [];
      const file = store.get(doc);
      const declined = store.declined.get(uri);
      if (declined) return [declinedDiagnostic(declined)];
      if (!file || !settings.diagnostics.enable) return [];
      return (yield* findingsSteps(file, context, undefined, true)).diagnostics;
    },
    *closedFileFindingsSteps(uri) {
      if (documents.has(uri)) return undefined;
      let file = index.diskModel(uri);
      if (!file) {
        const path = uriToPath(uri);
        const read = path ? files.readSync(path) : undefined;
        if (!read || 'skipped' in read) return undefined;
        file = parseManifest(uri, 0, read.text, undefined, undefined, budget);
      }
      if (!settings.diagnostics.enable)
        return { diagnostics: [], basis: { reads: 0, generations: { ...index.generations }, docs: [] } };
      return yield* findingsSteps(file, context);
    },
    findingsHold: (basis) => findingsHold(basis, index),
    diagnosticsOf(file, only) {
      const steps = diagnosticsSteps(file, context, only);
      for (;;) {
        const step = steps.next();
        if (step.done) return step.value;
      }
    },
    hover(uri, position) {
      const file = model(uri);
      injectedFault('hover');
      return file ? provideHover(file, inText(file, position), context) : null;
    },
    completion(uri, position) {
      const file = model(uri);
      injectedFault('completion');
      return file ? provideCompletion(file, inText(file, position), context) : null;
    },
    codeActions(uri, range, diagnostics, only) {
      indexOpenDocuments();
      const file = model(uri);
      injectedFault('codeAction');
      if (!file) return [];
      // A diagnostic of an older text that no longer fits the document gets no fix (its edits would land outside).
      const current = diagnostics.filter((d) => sameRange(rangeInText(file, d.range), d.range));
      return provideCodeActions(file, rangeInText(file, range), current, context, only);
    },
    async integrations(token) {
      await service.scan(token);
      indexOpenDocuments();
      const found: ManifestFile[] = [];
      for (const uri of index.uris()) {
        checkCancelled(token);
        const open = documents.get(uri);
        if (open) {
          const file = store.get(open);
          if (file) found.push(file);
          continue;
        }
        const path = uriToPath(uri);
        const read = path ? await files.read(path) : undefined;
        if (read && 'text' in read) found.push(parseManifest(uri, 0, read.text, undefined, undefined, budget));
      }
      return collectIntegrations(found, index);
    },
    grantText: (params) => grantText(params),
    federatedCredentialText: (params) => federatedCredentialText(params),
    // Patch requests wait for the first workspace scan: suggestions come from every Flux object of the cluster.
    async patchContext(params, token) {
      await service.scan(token);
      indexOpenDocuments();
      const file = load(params.uri);
      return file ? providePatchContext(params, file, context, load) : null;
    },
    async patchEdit(params, token) {
      await service.scan(token);
      indexOpenDocuments();
      const file = load(params.uri);
      return file ? providePatchEdit(params, file, context, load) : { notes: [], error: `cannot read ${params.uri}` };
    },
    definition(uri, position) {
      indexOpenDocuments();
      const file = load(uri);
      injectedFault('definition');
      return file ? provideDefinition(file, inText(file, position), context) : [];
    },
    references(uri, position, includeDeclaration) {
      indexOpenDocuments();
      const file = load(uri);
      injectedFault('references');
      return file ? provideReferences(file, inText(file, position), context, includeDeclaration) : [];
    },
    renderedObject(params) {
      indexOpenDocuments();
      const file = load(params.uri);
      injectedFault('renderedObject');
      return file
        ? provideRenderedObject(file, inText(file, params.position), context)
        : { objects: [], reason: `cannot read ${params.uri}` };
    },
    fileStatus(uri) {
      const indexing = index.scanProgress;
      if (indexing) return { indexing, clusters: [] };
      const clusters = index.clustersOf(uri).map((c) => ({
        label: c.label,
        ...(c.fluxVersion
          ? {
              fluxVersion: c.fluxVersion.written,
              versionFrom: { uri: c.fluxVersion.uri, range: c.fluxVersion.range },
            }
          : {}),
      }));
      const judgedWith = index.fluxVersionFor(uri);
      const setting = settings.fluxVersion.trim();
      return { clusters, ...(judgedWith ? { judgedWith } : {}), ...(setting ? { setting } : {}) };
    },
  };
  return service;
}

/**
 * A position as LSP reads it: a character past the end of its line means the line's end, a line past the last one
 * the end of the text. Features then never answer with ranges outside the document.
 */
function inText(file: ManifestFile, position: Position): Position {
  return file.lines.positionAt(file.lines.offsetAt(position));
}

function rangeInText(file: ManifestFile, range: Range): Range {
  return { start: inText(file, range.start), end: inText(file, range.end) };
}

function sameRange(a: Range, b: Range): boolean {
  return (
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
}

function withDefaults(value: Partial<ServerSettings> | undefined): ServerSettings {
  return {
    ...DEFAULT_SETTINGS,
    ...(value ?? {}),
    diagnostics: { ...DEFAULT_SETTINGS.diagnostics, ...(value?.diagnostics ?? {}) },
  };
}
