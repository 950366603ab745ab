import type { Diagnostic } from 'vscode-languageserver';
import { yieldToMessages } from './messages';
import type { FindingsBasis } from './features/diagnostics';

/** What the workspace diagnostics need from the session (callbacks, so that this stays free of the connection). */
export interface WorkspaceDiagnosticsHost {
  /** Every file of the workspace index. */
  uris(): Iterable<string>;
  /** Open documents are the validation queue's: their diagnostics come from the editor's text, never the disk. */
  isOpen(uri: string): boolean;
  /** Judges a closed file as it is on disk, in steps; undefined when it cannot be read (or is declined, or open). */
  judge(uri: string): Generator<void, { diagnostics: Diagnostic[]; basis: FindingsBasis } | undefined, void>;
  /** Whether findings judged on `basis` still stand (the index's facts they read have not moved since). */
  holds(basis: FindingsBasis): boolean;
  /** Whether open documents wait for their diagnostics: closed files are judged only when none does. */
  busy(): boolean;
  publish(uri: string, diagnostics: Diagnostic[]): void;
  info(message: string): void;
  error(message: string): void;
}

export interface WorkspaceDiagnosticsOptions {
  /** Longest stretch of judging before pending requests and notifications are handled. */
  readonly sliceMs: number;
  /** Wait after facts changed before looking for the files whose findings may have changed. */
  readonly debounceMs: number;
  /** At most this many closed files show diagnostics at once ... */
  readonly maxFiles: number;
  /** ... and at most this many diagnostics in all; the others are withheld (and logged) until there is room. */
  readonly maxDiagnostics: number;
}

interface Judged {
  readonly basis: FindingsBasis;
  readonly diagnostics: readonly Diagnostic[];
  /** Whether the diagnostics are published (false: nothing found, or withheld by the caps). */
  readonly shown: boolean;
}

const NONE: readonly Diagnostic[] = Object.freeze([]);

/**
 * Diagnostics of the workspace's files that are not open, as the CLI reports them: after the first scan every file
 * is judged from disk, in slices (requests are answered between them), and the files with findings are published.
 * Afterwards only files whose findings may have changed are judged again: those changed on disk, and those whose
 * findings read index facts that moved since (`holds`); a file whose findings vanish, or that is deleted, gets an
 * empty publish. Open documents are left to the validation queue; a file closed again is judged from disk.
 */
export class WorkspaceDiagnostics {
  private readonly records = new Map<string, Judged>();
  /** Files to judge; `true`: publish the result even when nothing is found (it replaces the editor's diagnostics). */
  private readonly dirty = new Map<string, boolean>();
  private shownFiles = 0;
  private shownDiagnostics = 0;
  private withheld = 0;
  private ready = false;
  private enabled = true;
  private running = false;
  private disposed = false;
  private checkTimer: ReturnType<typeof setTimeout> | undefined;
  /** The file being judged, and whether it was deleted meanwhile (its result is then dropped). */
  private judging: string | undefined;
  private judgingGone = false;

  constructor(
    private readonly host: WorkspaceDiagnosticsHost,
    private readonly options: WorkspaceDiagnosticsOptions,
  ) {}

  private get active(): boolean {
    return this.ready && this.enabled && !this.disposed;
  }

  /** The first workspace scan is done: judge every file. */
  start(): void {
    this.ready = true;
    this.check();
  }

  /**
   * On with the `workspace` scope, off with `openFiles` (or diagnostics disabled): switching off withdraws every
   * published diagnostic of a closed file.
   */
  setEnabled(enabled: boolean): void {
    if (enabled === this.enabled) return;
    this.enabled = enabled;
    if (enabled) {
      this.check();
      return;
    }
    for (const [uri, judged] of this.records) if (judged.shown) this.host.publish(uri, []);
    this.records.clear();
    this.dirty.clear();
    this.shownFiles = this.shownDiagnostics = this.withheld = 0;
  }

  /** Facts other files depend on may have changed: look for the files whose findings no longer hold, after a pause. */
  factsChanged(): void {
    if (!this.active) return;
    this.checkTimer ??= setTimeout(() => {
      this.checkTimer = undefined;
      this.check();
    }, this.options.debounceMs);
  }

  /** The settings changed: every file is judged again (its findings may depend on any of them). */
  settingsChanged(): void {
    if (!this.active) return;
    for (const uri of this.records.keys()) this.markDirty(uri, false);
    this.check();
  }

  /** Files changed on disk: judge them again (their text changed, whatever their facts did). */
  changedOnDisk(uris: readonly string[]): void {
    if (!this.active) return;
    for (const uri of uris) this.markDirty(uri, false);
    this.factsChanged();
    this.kick();
  }

  /** A file was deleted: its diagnostics go. */
  deleted(uri: string): void {
    this.dirty.delete(uri);
    if (uri === this.judging) this.judgingGone = true;
    if (this.active && !this.host.isOpen(uri)) this.forget(uri, 'always');
  }

  /** A document was opened: from now on the validation queue publishes its diagnostics. */
  opened(uri: string): void {
    this.dirty.delete(uri);
    this.forget(uri, 'never');
  }

  /** A document was closed: returns whether its diagnostics are judged from disk now (else the caller clears them). */
  closed(uri: string): boolean {
    if (!this.active) return false;
    this.markDirty(uri, true);
    this.kick();
    return true;
  }

  dispose(): void {
    this.disposed = true;
    if (this.checkTimer) clearTimeout(this.checkTimer);
    this.dirty.clear();
  }

  private markDirty(uri: string, force: boolean): void {
    this.dirty.set(uri, force || (this.dirty.get(uri) ?? false));
  }

  /** Compares every file's findings basis with the index (integer comparisons: no file is read). */
  private check(): void {
    if (!this.active) return;
    const seen = new Set<string>();
    for (const uri of this.host.uris()) {
      seen.add(uri);
      if (this.host.isOpen(uri)) continue;
      const judged = this.records.get(uri);
      if (!judged || !this.host.holds(judged.basis)) this.markDirty(uri, false);
    }
    for (const uri of [...this.records.keys()]) if (!seen.has(uri)) this.forget(uri, 'ifShown');
    this.kick();
  }

  /** Drops a file's record; `always` publishes an empty list, `ifShown` only over published diagnostics. */
  private forget(uri: string, publishEmpty: 'always' | 'ifShown' | 'never'): void {
    const judged = this.records.get(uri);
    this.records.delete(uri);
    if (judged) this.uncount(judged);
    if (publishEmpty === 'always' || (publishEmpty === 'ifShown' && judged?.shown)) this.host.publish(uri, []);
  }

  private uncount(judged: Judged): void {
    if (judged.shown) {
      this.shownFiles--;
      this.shownDiagnostics -= judged.diagnostics.length;
    } else if (judged.diagnostics.length > 0) this.withheld--;
  }

  private fits(count: number): boolean {
    return this.shownFiles < this.options.maxFiles && this.shownDiagnostics + count <= this.options.maxDiagnostics;
  }

  private kick(): void {
    if (this.running || !this.active || this.dirty.size === 0) return;
    this.running = true;
    void this.drain()
      .catch((err) => this.host.error(`workspace diagnostics failed: ${describe(err)}`))
      .finally(() => {
        this.running = false;
        this.kick();
      });
  }

  private async drain(): Promise<void> {
    let sliceStart = performance.now();
    const started = sliceStart;
    let judgedFiles = 0;
    while (this.active) {
      const next = this.dirty.entries().next();
      if (next.done) break;
      const [uri, force] = next.value;
      if (this.host.busy()) {
        // The files the user looks at first: pause (keeping the work) until their diagnostics are out.
        await pause(this.options.debounceMs);
        sliceStart = performance.now();
        continue;
      }
      this.dirty.delete(uri);
      if (this.host.isOpen(uri)) continue;
      let result: { diagnostics: Diagnostic[]; basis: FindingsBasis } | undefined;
      let finished = false;
      this.judging = uri;
      this.judgingGone = false;
      try {
        const steps = this.host.judge(uri);
        for (;;) {
          const step = steps.next();
          if (step.done) {
            result = step.value;
            finished = true;
            break;
          }
          if (performance.now() - sliceStart < this.options.sliceMs) continue;
          await yieldToMessages();
          sliceStart = performance.now();
          if (!this.active || this.host.isOpen(uri) || this.judgingGone) break; // dropped: opened, or deleted
          if (this.dirty.has(uri)) {
            this.markDirty(uri, force); // dropped: judged again with what changed meanwhile
            break;
          }
        }
      } catch (err) {
        this.host.error(`diagnostics failed for ${uri}: ${describe(err)}`);
        finished = true;
      }
      this.judging = undefined;
      if (finished && this.active && !this.host.isOpen(uri)) {
        judgedFiles++;
        this.record(uri, result, force);
        // Facts moved while it was judged: what it read may be out of date.
        if (result && !this.host.holds(result.basis)) this.markDirty(uri, false);
      }
      if (performance.now() - sliceStart >= this.options.sliceMs) {
        await yieldToMessages();
        sliceStart = performance.now();
      }
    }
    this.publishWithheld();
    if (judgedFiles > 0)
      this.host.info(
        `workspace diagnostics: judged ${judgedFiles} files in ${Math.round(performance.now() - started)} ms; ` +
          `${this.shownDiagnostics} diagnostics in ${this.shownFiles} closed files`,
      );
  }

  private record(uri: string, result: { diagnostics: Diagnostic[]; basis: FindingsBasis } | undefined, force: boolean) {
    if (!result) {
      this.forget(uri, force ? 'always' : 'ifShown');
      return;
    }
    const previous = this.records.get(uri);
    if (previous) this.uncount(previous);
    const diagnostics = result.diagnostics.length > 0 ? result.diagnostics : NONE;
    const shown = diagnostics.length > 0 && this.fits(diagnostics.length);
    this.records.set(uri, { basis: result.basis, diagnostics, shown });
    if (shown) {
      this.shownFiles++;
      this.shownDiagnostics += diagnostics.length;
      // Judged again with the same findings: nothing to send.
      if (!force && previous?.shown && sameDiagnostics(previous.diagnostics, diagnostics)) return;
      this.host.publish(uri, [...diagnostics]);
      return;
    }
    if (diagnostics.length > 0) {
      if (this.withheld++ === 0)
        this.host.info(
          `workspace diagnostics: more than ${this.options.maxFiles} files or ${this.options.maxDiagnostics} ` +
            `diagnostics in closed files; the rest show when their files are opened (or set fluxAzure.diagnostics.scope to openFiles)`,
        );
    }
    if (previous?.shown || force) this.host.publish(uri, []);
  }

  /** Withheld files whose diagnostics fit now that others have fewer. */
  private publishWithheld(): void {
    if (this.withheld === 0) return;
    for (const [uri, judged] of this.records) {
      if (judged.shown || judged.diagnostics.length === 0 || !this.fits(judged.diagnostics.length)) continue;
      this.withheld--;
      this.shownFiles++;
      this.shownDiagnostics += judged.diagnostics.length;
      this.records.set(uri, { ...judged, shown: true });
      this.host.publish(uri, [...judged.diagnostics]);
    }
  }
}

function sameDiagnostics(a: readonly Diagnostic[], b: readonly Diagnostic[]): boolean {
  return a.length === b.length && JSON.stringify(a) === JSON.stringify(b);
}

function describe(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
