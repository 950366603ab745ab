import type { Range, TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { parseManifest, type ManifestFile, type ParseBudget } from './document/manifest';
import { binaryReason, MAX_FILE_BYTES } from './workspace/files';

/**
 * The parsed model of each open document, made once per version and shared by every feature. Unchanged YAML
 * documents of the previous version are reused (see `parseManifest`). Evicted on close.
 */
export class DocumentStore {
  private readonly files = new Map<string, ManifestFile>();

  /**
   * @param budget where parses are accounted (the service's); the active document's are kept whatever their size.
   * @param seed may offer a model of the same text parsed before (the workspace scan's), whose parse is then reused.
   */
  constructor(
    private readonly budget?: ParseBudget,
    private readonly seed?: (uri: string, text: string) => ManifestFile | undefined,
  ) {}

  /** Why a document is not analysed (too large, binary), reported once per document. */
  readonly declined = new Map<string, string>();

  get(doc: TextDocument): ManifestFile | undefined {
    const cached = this.files.get(doc.uri);
    if (cached?.version === doc.version) {
      if (doc.uri === this.active) this.budget?.keepActive(cached);
      return cached;
    }
    const text = doc.getText();
    const reason = text.length > MAX_FILE_BYTES ? `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB` : binaryReason(text);
    if (reason) {
      this.declined.set(doc.uri, reason);
      this.files.delete(doc.uri);
      return undefined;
    }
    this.declined.delete(doc.uri);
    const edit = this.edits.get(doc.uri);
    this.edits.delete(doc.uri);
    const unchanged = edit && cached && edit.base === cached.version && edit.version === doc.version ? edit : undefined;
    const file = parseManifest(
      doc.uri,
      doc.version,
      text,
      cached ?? this.seed?.(doc.uri, text),
      unchanged,
      this.budget,
    );
    this.files.set(doc.uri, file);
    if (doc.uri === this.active) this.budget?.keepActive(file);
    return file;
  }

  /**
   * The document the user works in (last opened, edited or asked about): all its parses stay in memory, while those
   * of other documents are dropped past a budget (see `ParseBudget`).
   */
  markActive(uri: string): void {
    if (this.active === uri) return;
    this.active = uri;
    this.budget?.keepActive(this.files.get(uri));
  }

  private active: string | undefined;

  /** For each document, what its changes since the cached model left unchanged (see `noteChanges`). */
  private readonly edits = new Map<string, { base: number; version: number; head: number; tail: number }>();

  /**
   * Records a change as the editor sends it (`doc` is the document before the change), so that the next model
   * knows the unchanged start and end of the text without comparing texts. Anything but a single ranged change
   * drops the record (the texts are then compared).
   */
  noteChanges(doc: TextDocument, changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    const cached = this.files.get(doc.uri);
    let edit = this.edits.get(doc.uri);
    if (edit && edit.version !== doc.version) edit = undefined;
    if (!edit && cached?.version === doc.version)
      edit = { base: doc.version, version: doc.version, head: Infinity, tail: Infinity };
    const range = changes.length === 1 ? (changes[0] as { range?: Range }).range : undefined;
    if (!edit || !range) {
      this.edits.delete(doc.uri);
      return;
    }
    const start = doc.offsetAt(range.start);
    const end = doc.offsetAt(range.end);
    // The text's length, without reading the text (an open document applies its changes when read).
    const length = doc.offsetAt({ line: doc.lineCount, character: 0 });
    edit.head = Math.min(edit.head, start, end);
    edit.tail = Math.min(edit.tail, length - Math.max(start, end));
    edit.version = version;
    this.edits.set(doc.uri, edit);
  }

  evict(uri: string): void {
    this.edits.delete(uri);
    if (uri === this.active) {
      this.active = undefined;
      this.budget?.keepActive(undefined);
    }
    this.files.delete(uri);
    this.declined.delete(uri);
  }
}
