import type { Diagnostic } from 'vscode-languageserver';
import { yieldToMessages } from './messages';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ManifestFile } from './document/manifest';

/** What the validation queue needs from the session (kept as callbacks so it stays free of the connection). */
export interface ValidationHost {
  /** The open document, undefined once closed. */
  document(uri: string): TextDocument | undefined;
  openUris(): Iterable<string>;
  /** The model of a document's current version; undefined when the document is declined (too large, binary). */
  model(doc: TextDocument): ManifestFile | undefined;
  /**
   * The work to do for a document, as steps: the generator yields whenever it may be paused, and returns the
   * diagnostics to publish. It indexes the document's facts first (see `session.ts`).
   */
  analyse(doc: TextDocument, file: ManifestFile | undefined): Generator<void, Diagnostic[], void>;
  /** Before `start`: the diagnostics no other file can change (see `FluxLanguageService.localDiagnosticsSteps`). */
  analyseLocal?(doc: TextDocument, file: ManifestFile | undefined): Generator<void, Diagnostic[], void>;
  publish(uri: string, version: number, diagnostics: Diagnostic[]): void;
  error(message: string): void;
}

export interface ValidationOptions {
  /** Wait after the last edit of a document before analysing it. */
  readonly debounceMs: number;
  /** Longest stretch of analysis before the queue lets pending requests (hover, completion) run. */
  readonly sliceMs: number;
}

/**
 * Diagnostics for open documents: debounced per document, analysed one document at a time in slices (requests are
 * answered between slices, never after a whole validation), and published only for the version analysed. A run whose
 * document changed (or closed, or was scheduled again) is dropped at the next slice: the newer schedule publishes.
 * Every opened document gets a publish, an empty list included.
 */
/** Documents analysed for their local diagnostics while the first scan runs, at most. */
const MAX_LOCAL_RUNS = 20;

export class ValidationQueue {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Documents whose debounce has elapsed, edited ones first. */
  private readonly urgent = new Set<string>();
  private readonly background = new Set<string>();
  private backgroundTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly laterBackground = new Set<string>();
  private running = false;
  private ready = false;
  /** Before `start`, documents get their local diagnostics (`analyseLocal`), a few of them. */
  private local = false;
  private localLeft = MAX_LOCAL_RUNS;
  private disposed = false;

  constructor(
    private readonly host: ValidationHost,
    private readonly options: ValidationOptions,
  ) {}

  /**
   * While the first scan runs: documents opened (or edited) get the diagnostics that do not depend on other files,
   * so a file restored at start shows its own mistakes before a large workspace is read. Only the first
   * `MAX_LOCAL_RUNS` runs: an editor restores a few tabs; a client opening thousands of files gets each once, after.
   */
  startLocal(): void {
    if (this.ready || !this.host.analyseLocal) return;
    this.local = true;
    for (const uri of this.host.openUris()) if (!this.timers.has(uri)) this.urgent.add(uri);
    this.kick();
  }

  /** Analysis starts once the workspace facts are known (the first scan): until then, schedules accumulate. */
  start(): void {
    this.ready = true;
    for (const uri of this.host.openUris()) if (!this.timers.has(uri)) this.urgent.add(uri);
    this.kick();
  }

  /** A document was opened or edited: analyse it after the debounce (at once with `delay` 0). */
  schedule(uri: string, delay = this.options.debounceMs): void {
    const existing = this.timers.get(uri);
    if (existing) clearTimeout(existing);
    this.urgent.delete(uri);
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        this.urgent.add(uri);
        this.background.delete(uri);
        this.kick();
      }, delay),
    );
  }

  /**
   * Facts other documents depend on changed: analyse every open document again (but `except`) once the changes
   * pause for `delay` (while they keep coming, at least every four delays). Most of them then find their cached rule
   * results still valid, so this is cheap.
   */
  scheduleAll(except?: string, delay = this.options.debounceMs): void {
    for (const uri of this.host.openUris()) if (uri !== except) this.laterBackground.add(uri);
    const now = performance.now();
    this.backgroundSince ??= now;
    if (this.backgroundTimer) {
      if (now - this.backgroundSince >= delay * 4) return; // keep the pending run: edits must not starve it
      clearTimeout(this.backgroundTimer);
    }
    this.backgroundTimer = setTimeout(() => {
      this.backgroundTimer = undefined;
      this.backgroundSince = undefined;
      for (const uri of this.laterBackground)
        if (!this.timers.has(uri) && !this.urgent.has(uri)) this.background.add(uri);
      this.laterBackground.clear();
      this.kick();
    }, delay);
  }

  private backgroundSince: number | undefined;

  /** A document was closed: forget its pending work. */
  cancel(uri: string): void {
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
    this.urgent.delete(uri);
    this.background.delete(uri);
    this.laterBackground.delete(uri);
  }

  dispose(): void {
    this.disposed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    if (this.backgroundTimer) clearTimeout(this.backgroundTimer);
    this.urgent.clear();
    this.background.clear();
  }

  /**
   * Whether open documents wait for their diagnostics (opened or edited, debounce running or elapsed): background
   * work such as the closed files' diagnostics waits for them.
   */
  get busy(): boolean {
    return !this.disposed && (this.timers.size > 0 || this.urgent.size > 0);
  }

  /** True while `uri` has a newer analysis coming (its text changed, or it was scheduled again). */
  private superseded(uri: string, version: number): boolean {
    return (
      this.disposed ||
      this.host.document(uri)?.version !== version ||
      this.timers.has(uri) ||
      this.urgent.has(uri) ||
      this.background.has(uri)
    );
  }

  private next(): string | undefined {
    for (const set of [this.urgent, this.background]) {
      for (const uri of set) {
        set.delete(uri);
        return uri;
      }
    }
    return undefined;
  }

  private kick(): void {
    if (this.running || !(this.ready || (this.local && this.localLeft > 0)) || this.disposed) return;
    this.running = true;
    void this.drain().finally(() => (this.running = false));
  }

  private async drain(): Promise<void> {
    let sliceStart = performance.now();
    for (let uri = this.next(); uri !== undefined; uri = this.next()) {
      const doc = this.host.document(uri);
      if (!doc) continue;
      const version = doc.version;
      let diagnostics: Diagnostic[] = [];
      let finished = false;
      const local = !this.ready;
      if (local) {
        // Until the scan ends: the document stays due (`start` analyses every open document in full).
        if (this.localLeft <= 0) break;
        this.localLeft--;
      }
      try {
        const steps = local
          ? this.host.analyseLocal!(doc, this.host.model(doc))
          : this.host.analyse(doc, this.host.model(doc));
        for (;;) {
          const step = steps.next();
          if (step.done) {
            diagnostics = step.value;
            finished = true;
            break;
          }
          if (performance.now() - sliceStart < this.options.sliceMs) continue;
          await yieldToMessages();
          sliceStart = performance.now();
          if (this.superseded(uri, version)) break; // dropped: the newer run publishes
        }
      } catch (err) {
        this.host.error(`diagnostics failed for ${uri}: ${err instanceof Error ? (err.stack ?? err.message) : err}`);
        finished = true; // publish what we have (nothing) rather than leave the document without a publish
      }
      // Publish only for the version analysed; a newer version has its own schedule. A local run is published only
      // while the scan still runs (else the full run, due now, publishes).
      if (finished && !this.disposed && this.host.document(uri)?.version === version && (!local || !this.ready))
        this.host.publish(uri, version, diagnostics);
      if (performance.now() - sliceStart >= this.options.sliceMs) {
        await yieldToMessages();
        sliceStart = performance.now();
      }
    }
  }
}
