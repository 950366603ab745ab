import { LineIndex, type Position } from './lineIndex';
import { scanHeader, splitDocuments, splitRange, type ChunkHeader } from './chunks';
import { parseYaml, type ParsedYaml } from './parse';
import { parseInexact, parseNested, type NestedYaml } from './nested';
import { nodeAt, textAt, isScalar, type ScalarNode, type Span, type YamlNode } from './nodes';

export interface Range {
  start: Position;
  end: Position;
}

/**
 * One YAML document's text, parsed lazily and at most once. Chunks are keyed by their text, so an edit in one
 * document of a large file re-parses that document only (see `parseManifest`'s `previous`).
 */
export class Chunk {
  readonly header: ChunkHeader;
  private parsedValue: ParsedYaml | undefined;
  private readonly nested = new Map<number, NestedYaml | undefined>();

  constructor(
    readonly text: string,
    /** Where this chunk's parse is accounted; without one it is kept for the chunk's life. */
    readonly budget?: ParseBudget,
  ) {
    this.header = scanHeader(text);
  }

  get parsed(): ParsedYaml {
    if (this.parsedValue === undefined) {
      this.parsedValue = parseYaml(this.text);
      this.budget?.noteParsed(this);
    } else if (this.budget && this.budget.mostRecentlyParsed !== this) this.budget.noteParsed(this);
    return this.parsedValue;
  }

  /** Drops the parse (and the nested ones) to free memory; the next access parses again, to equal nodes. */
  forgetParse(): void {
    this.parsedValue = undefined;
    this.nested.clear();
  }

  get isParsed(): boolean {
    return this.parsedValue !== undefined;
  }

  /** YAML inside a scalar of this chunk, parsed once. `base64` decodes the value first (Secret `data`). */
  nestedYaml(scalar: ScalarNode, encoding?: 'base64'): NestedYaml | undefined {
    const key = encoding ? -scalar.start - 1 : scalar.start;
    if (!this.nested.has(key)) {
      let result: NestedYaml | undefined;
      if (encoding === 'base64') {
        const decoded = decodeBase64(scalar.text);
        result = decoded === undefined ? undefined : parseInexact(decoded, scalar);
      } else result = parseNested(this.text, scalar);
      this.nested.set(key, result);
    }
    return this.nested.get(key);
  }
}

/**
 * The memory budget for parsed YAML, owned by one language service (see `createFluxService`). Parses of chunks other
 * than those of kept files are held least recently used first, weighted by their text length; parses beyond the
 * budget are dropped (what features cached from them stays), so memory stays bounded however many documents are open,
 * and parses made while analysing many files die young (cheap to collect). A dropped parse is redone on demand, at
 * about 15 ms per 1,000 lines. Files parsed without a budget keep their parses.
 */
export class ParseBudget {
  private readonly parsedChunks = new Map<Chunk, number>();
  private parsedChars = 0;
  /** @internal the chunk parsed or read last (a fast path: touching it again changes nothing). */
  mostRecentlyParsed: Chunk | undefined;
  /** Files whose parses are kept whatever their size: the active document, then a few large disk copies. */
  private active: ManifestFile | undefined;
  private readonly diskCopies = new Map<string, ManifestFile>();
  private kept = new Set<Chunk>();

  constructor(
    /**
     * About 1 MB of nodes: small enough that the parses made while analysing many files die young (nearly free to
     * collect), large enough for the documents a request or an analysis is looking at.
     */
    private readonly budgetChars = 64_000,
    /** At most this many kept disk copies: the most recently kept win, so memory stays bounded. */
    private readonly maxDiskCopies = 3,
  ) {}

  /** Keeps every parse of the document the user works in (see `DocumentStore.markActive`); `undefined`: none. */
  keepActive(file: ManifestFile | undefined): void {
    if (this.active === file) return;
    this.active = file;
    this.rebalance();
  }

  /**
   * Keeps every parse of a large file read from disk, which the editor is likely to open next (see `WorkspaceIndex`);
   * `undefined` releases that file's copy.
   */
  keepDiskCopy(uri: string, file: ManifestFile | undefined): void {
    if (this.diskCopies.get(uri) === file) return;
    this.diskCopies.delete(uri);
    if (file) this.diskCopies.set(uri, file);
    for (const oldest of [...this.diskCopies.keys()].slice(0, Math.max(0, this.diskCopies.size - this.maxDiskCopies)))
      this.diskCopies.delete(oldest);
    this.rebalance();
  }

  /** How many characters of parsed text the budget holds now (kept files not counted). */
  get heldChars(): number {
    return this.parsedChars;
  }

  private rebalance(): void {
    const next = new Set<Chunk>();
    for (const f of [this.active, ...this.diskCopies.values()]) if (f) for (const d of f.docs) next.add(d.chunk);
    const released = [...this.kept].filter((c) => !next.has(c));
    this.kept = next;
    for (const chunk of next) {
      const chars = this.parsedChunks.get(chunk);
      if (chars === undefined) continue;
      this.parsedChunks.delete(chunk);
      this.parsedChars -= chars;
    }
    for (const chunk of released) if (chunk.isParsed) this.noteParsed(chunk);
  }

  /** Called by a chunk each time its parse is made or read. */
  noteParsed(chunk: Chunk): void {
    this.mostRecentlyParsed = chunk;
    if (this.kept.has(chunk)) return;
    const known = this.parsedChunks.get(chunk);
    if (known !== undefined) this.parsedChunks.delete(chunk);
    else this.parsedChars += chunk.text.length;
    this.parsedChunks.set(chunk, chunk.text.length);
    for (const [oldest, chars] of this.parsedChunks) {
      if (this.parsedChars <= this.budgetChars || oldest === chunk) break;
      this.parsedChunks.delete(oldest);
      this.parsedChars -= chars;
      oldest.forgetParse();
    }
  }
}

function decodeBase64(text: string): string | undefined {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) return undefined;
  const decoded = Buffer.from(compact, 'base64').toString('utf8');
  return decoded.includes('\uFFFD') ? undefined : decoded;
}

/** A document of a file: a chunk at a position. */
export class ManifestDoc {
  constructor(
    readonly file: ManifestFile,
    readonly chunk: Chunk,
    /** Offset of the chunk in the file. */
    readonly offset: number,
    readonly index: number,
  ) {}

  get root(): YamlNode | undefined {
    return this.chunk.parsed.root;
  }

  get apiVersion(): string | undefined {
    return this.chunk.header.reliable ? this.chunk.header.apiVersion : textAt(this.root, ['apiVersion']);
  }

  get kind(): string | undefined {
    return this.chunk.header.reliable ? this.chunk.header.kind : textAt(this.root, ['kind']);
  }

  /** API group of `apiVersion` (`source.toolkit.fluxcd.io`), empty for the core group (`v1`). */
  get group(): string {
    const api = this.apiVersion ?? '';
    const slash = api.indexOf('/');
    return slash === -1 ? '' : api.slice(0, slash);
  }

  get name(): string | undefined {
    return textAt(this.root, ['metadata', 'name']);
  }

  /** `metadata.namespace` as written (undefined when omitted). */
  get namespace(): string | undefined {
    return textAt(this.root, ['metadata', 'namespace']);
  }

  get end(): number {
    return this.offset + this.chunk.text.length;
  }

  get(path: readonly (string | number)[]): YamlNode | undefined {
    return nodeAt(this.root, path);
  }

  text(path: readonly (string | number)[]): string | undefined {
    return textAt(this.root, path);
  }

  scalar(path: readonly (string | number)[]): ScalarNode | undefined {
    const node = nodeAt(this.root, path);
    return isScalar(node) ? node : undefined;
  }

  /** LSP range of a node (chunk offsets) in the file. */
  range(span: Span): Range {
    return { start: this.position(span.start), end: this.position(span.end) };
  }

  position(chunkOffset: number): Position {
    return this.file.lines.positionAt(this.offset + chunkOffset);
  }

  /** The chunk offset of an LSP position. */
  chunkOffset(position: Position): number {
    return this.file.lines.offsetAt(position) - this.offset;
  }

  nestedYaml(scalar: ScalarNode, encoding?: 'base64'): NestedYaml | undefined {
    return this.chunk.nestedYaml(scalar, encoding);
  }
}

/** A parsed YAML file: its documents, positions, and the text it was made from. Immutable. */
export class ManifestFile {
  readonly lines: LineIndex;
  readonly docs: readonly ManifestDoc[];

  constructor(
    readonly uri: string,
    readonly version: number,
    readonly text: string,
    chunks: readonly { chunk: Chunk; offset: number }[],
    /** The previous version's line index and the extent of the edit since (see `LineIndex`). */
    previousLines?: ConstructorParameters<typeof LineIndex>[1],
  ) {
    this.lines = new LineIndex(text, previousLines);
    this.docs = chunks.map(({ chunk, offset }, i) => new ManifestDoc(this, chunk, offset, i));
  }

  private eolValue: string | undefined;

  /** The line break inserted text should use: `\r\n` when the file has any, else `\n`. Computed once. */
  get eol(): string {
    this.eolValue ??= this.text.includes('\r\n') ? '\r\n' : '\n';
    return this.eolValue;
  }

  docAt(offset: number): ManifestDoc | undefined {
    let lo = 0;
    let hi = this.docs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.docs[mid].offset <= offset) lo = mid;
      else hi = mid - 1;
    }
    return this.docs[lo];
  }
}

/**
 * Splits a file into documents. Chunks of `previous` whose text is unchanged are reused with their parse (and what
 * features cached on them), so an edit costs the parse of the edited document only. With `previous`, only the
 * region between the unchanged head and tail of the text is split again.
 */
export function parseManifest(
  uri: string,
  version: number,
  text: string,
  previous?: ManifestFile,
  /** When known (from the editor's change events): how much of the start and end of the text is unchanged. */
  unchanged?: { head: number; tail: number },
  /** The memory budget of the service that parses (new chunks are accounted there). */
  budget?: ParseBudget,
): ManifestFile {
  if (!previous) {
    const chunks = splitDocuments(text).map(({ start, end }) => ({
      chunk: new Chunk(text.slice(start, end), budget),
      offset: start,
    }));
    return new ManifestFile(uri, version, text, chunks);
  }
  const { chunks, head, tail } = reuseChunks(previous, text, unchanged, budget);
  const oldTailStart = previous.text.length - tail;
  const lines = { index: previous.lines, head, oldTailStart, delta: text.length - previous.text.length };
  return new ManifestFile(uri, version, text, chunks, lines);
}

type PlacedChunk = { chunk: Chunk; offset: number };

/** The chunks of `text`, reusing those of `previous`; `head` and `tail` are the lengths of the unchanged ends. */
function reuseChunks(
  previous: ManifestFile,
  text: string,
  unchanged: { head: number; tail: number } | undefined,
  budget: ParseBudget | undefined,
): { chunks: PlacedChunk[]; head: number; tail: number } {
  const old = previous.docs;
  const oldText = previous.text;
  const delta = text.length - oldText.length;
  if (unchanged) {
    const head = Math.min(unchanged.head, text.length, oldText.length);
    const tail = Math.min(unchanged.tail, Math.min(text.length, oldText.length) - head);
    // A cheap check of the boundaries; anything odd falls back to comparing the texts.
    const ok =
      (head === 0 || text.charCodeAt(head - 1) === oldText.charCodeAt(head - 1)) &&
      (tail === 0 || text.charCodeAt(text.length - tail) === oldText.charCodeAt(oldText.length - tail));
    if (ok) return placeChunks(previous, text, head, tail, budget);
  }
  if (text === oldText)
    return { chunks: old.map((d) => ({ chunk: d.chunk, offset: d.offset })), head: text.length, tail: 0 };

  // Unchanged head: whole documents first (a native compare each), then characters.
  let head = 0;
  for (const d of old) {
    if (text.startsWith(d.chunk.text, d.offset)) {
      head = d.end;
      continue;
    }
    const limit = Math.min(d.end, text.length);
    while (head < limit && text.charCodeAt(head) === oldText.charCodeAt(head)) head++;
    break;
  }
  // Unchanged tail (not overlapping the head).
  let tail = 0;
  const maxTail = Math.min(text.length, oldText.length) - head;
  for (let i = old.length - 1; i >= 0 && tail < maxTail; i--) {
    const d = old[i];
    if (
      d.end - d.offset <= maxTail - tail &&
      d.offset + delta >= 0 &&
      text.startsWith(d.chunk.text, d.offset + delta)
    ) {
      tail += d.end - d.offset;
      continue;
    }
    while (tail < maxTail && text.charCodeAt(text.length - 1 - tail) === oldText.charCodeAt(oldText.length - 1 - tail))
      tail++;
    break;
  }
  if (tail > maxTail) tail = maxTail;
  return placeChunks(previous, text, head, tail, budget);
}

/** The chunks of `text` given the lengths of its start and end that are unchanged from `previous.text`. */
function placeChunks(
  previous: ManifestFile,
  text: string,
  head: number,
  tail: number,
  budget: ParseBudget | undefined,
): { chunks: PlacedChunk[]; head: number; tail: number } {
  const old = previous.docs;
  const oldText = previous.text;
  const delta = text.length - oldText.length;

  // Keep documents whose text and following boundary lie in the unchanged head; documents that start with `---`
  // (with the line break before it) in the unchanged tail; split the rest again.
  const out: PlacedChunk[] = [];
  let from = 0;
  let k = 0;
  while (k < old.length && old[k].end + 4 <= head) {
    out.push({ chunk: old[k].chunk, offset: old[k].offset });
    from = old[k].end;
    k++;
  }
  const tailStart = oldText.length - tail;
  let j = old.length;
  while (j - 1 >= k && old[j - 1].offset - 1 >= tailStart && old[j - 1].chunk.text.startsWith('---')) j--;
  const to = j < old.length ? old[j].offset + delta : text.length;
  const reusable = new Map<string, Chunk>();
  for (let i = k; i < j; i++) reusable.set(old[i].chunk.text, old[i].chunk);
  for (const { start, end } of from === 0 && to === text.length ? splitDocuments(text) : splitRange(text, from, to)) {
    const slice = text.slice(start, end);
    // A copy, so that the document does not keep this version's whole text alive after the next edit.
    out.push({ chunk: reusable.get(slice) ?? new Chunk(flatCopy(slice), budget), offset: start });
  }
  for (let i = j; i < old.length; i++) out.push({ chunk: old[i].chunk, offset: old[i].offset + delta });
  return { chunks: out, head, tail };
}

/** A copy of a string that does not share memory with the string it was sliced from. */
function flatCopy(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}
