/**
 * The text of an open document, edited as the editor sends changes. It answers the `TextDocument` interface of
 * `vscode-languageserver-textdocument` (positions in UTF-16 code units, `\n`, `\r\n` and `\r` line ends, positions
 * past a line's end clamped before its line break) — the same answers as that library's own document, which the tests
 * check edit by edit.
 *
 * Why not the library's document: each change there makes the new text as `before + inserted + after`, a string V8
 * copies into one flat string on the next read: about 4 ms for a 1.2 MB file on every keystroke (measured on the
 * bench's 50k-line file), so a burst of typing rebuilt the whole text once per character. Here changes are kept as a
 * short list and applied when the text is next read (the diagnostics after the debounce, a request): once per burst.
 * The line starts are kept up to date at each change (shifted, not recomputed), so positions and offsets never need
 * the text, except the few characters around a line break, read through the pending changes.
 */
import type { Position, Range, TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';

const LF = 10;
const CR = 13;

/** Any character outside Latin-1: the text is then kept as UTF-16 (V8 stores it with two bytes per character). */
const WIDE = /[\u0100-\uffff]/;

/** A scratch buffer reused by every edit of every document (grown, never shrunk below the largest file edited). */
let scratch = Buffer.alloc(0);

function scratchOf(bytes: number): Buffer {
  if (scratch.length < bytes) scratch = Buffer.allocUnsafe(Math.max(bytes, Math.ceil(scratch.length * 1.25)));
  return scratch;
}

/** `parts` joined as one flat string. */
function join(parts: readonly string[], wide: boolean): string {
  let length = 0;
  for (const p of parts) length += p.length;
  // Short texts: V8's own concatenation is as fast and allocates nothing outside the heap.
  if (length < 64 * 1024) return parts.join('');
  const encoding = wide ? 'utf16le' : 'latin1';
  const unit = wide ? 2 : 1;
  const buf = scratchOf(length * unit);
  let at = 0;
  for (const p of parts) at += buf.write(p, at, encoding);
  return buf.toString(encoding, 0, at);
}

/** Offsets where lines start in `text` (the first line's start `0` included when `first`), shifted by `base`. */
function lineStarts(text: string, first: boolean, base = 0): number[] {
  const starts = first ? [base] : [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === CR) {
      if (i + 1 < text.length && text.charCodeAt(i + 1) === LF) i++;
      starts.push(base + i + 1);
    } else if (c === LF) starts.push(base + i + 1);
  }
  return starts;
}

/** A range with its start first (the editor may send it reversed). */
function ordered(range: Range): Range {
  const { start, end } = range;
  return start.line > end.line || (start.line === end.line && start.character > end.character)
    ? { start: end, end: start }
    : range;
}

/** A change as applied: the offsets it replaced in the text before it, and what it inserted. */
interface Applied {
  start: number;
  end: number;
  text: string;
}

/** Changes kept unapplied at most (beyond, the text is rebuilt: each character read walks this list). */
const MAX_PENDING = 64;

export class EditableText implements TextDocument {
  /** The text before the pending changes. */
  private content: string;
  private pending: Applied[] = [];
  /** The length of the text with the pending changes. */
  private length: number;
  private starts: number[] | undefined;
  private wide: boolean;

  constructor(
    readonly uri: string,
    readonly languageId: string,
    private currentVersion: number,
    text: string,
  ) {
    this.content = text;
    this.length = text.length;
    this.wide = WIDE.test(text);
  }

  get version(): number {
    return this.currentVersion;
  }

  get lineCount(): number {
    return this.lines().length;
  }

  getText(range?: Range): string {
    const text = this.text();
    if (!range) return text;
    return text.substring(this.offsetAt(range.start), this.offsetAt(range.end));
  }

  offsetAt(position: Position): number {
    const starts = this.lines();
    if (position.line >= starts.length) return this.length;
    if (position.line < 0) return 0;
    const lineStart = starts[position.line]!;
    if (position.character <= 0) return lineStart;
    const next = position.line + 1 < starts.length ? starts[position.line + 1]! : this.length;
    return this.beforeLineBreak(Math.min(lineStart + position.character, next), lineStart);
  }

  positionAt(offset: number): Position {
    offset = Math.max(Math.min(offset, this.length), 0);
    const starts = this.lines();
    let low = 0;
    let high = starts.length;
    if (high === 0) return { line: 0, character: offset };
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (starts[mid]! > offset) high = mid;
      else low = mid + 1;
    }
    const line = low - 1;
    return { line, character: this.beforeLineBreak(offset, starts[line]!) - starts[line]! };
  }

  /** Applies the editor's changes in order (each relative to the text the previous one left) and takes `version`. */
  update(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    for (const change of changes) {
      if (!('range' in change) || !change.range) {
        this.content = change.text;
        this.pending = [];
        this.length = change.text.length;
        this.wide = WIDE.test(change.text);
        this.starts = undefined;
        continue;
      }
      const range = ordered(change.range);
      const start = this.offsetAt(range.start);
      const end = this.offsetAt(range.end);
      if (this.pending.length >= MAX_PENDING) this.text();
      this.wide ||= WIDE.test(change.text);
      this.pending.push({ start, end, text: change.text });
      this.length += change.text.length - (end - start);
      const starts = this.starts;
      if (!starts) continue;
      // A `\r` now followed by a `\n` at either seam makes one line break of two: count the lines again (rare).
      if (this.joinsLineBreak(start) || this.joinsLineBreak(start + change.text.length)) {
        this.starts = undefined;
        continue;
      }
      // The lines the range spanned are replaced by the inserted text's line starts; later lines shift.
      const first = Math.max(range.start.line, 0);
      const last = Math.min(Math.max(range.end.line, 0), starts.length - 1);
      const added = lineStarts(change.text, false, start);
      const delta = change.text.length - (end - start);
      // (A long paste is not spread into `splice`'s arguments.)
      const next =
        added.length < 1000
          ? (starts.splice(first + 1, Math.max(last - first, 0), ...added), starts)
          : starts.slice(0, first + 1).concat(added, starts.slice(last + 1));
      this.starts = next;
      if (delta !== 0) for (let i = first + 1 + added.length; i < next.length; i++) next[i]! += delta;
    }
    this.currentVersion = version;
  }

  /** The text with the pending changes applied (once: it becomes the text they are applied to). */
  private text(): string {
    if (this.pending.length === 0) return this.content;
    // The pieces of the new text: slices of the old one between the changes, and what they inserted.
    type Piece = { source: string; from: number; to: number };
    let pieces: Piece[] = [{ source: this.content, from: 0, to: this.content.length }];
    for (const { start, end, text } of this.pending) {
      const next: Piece[] = [];
      let inserted = false;
      const insert = () => {
        if (text) next.push({ source: text, from: 0, to: text.length });
        inserted = true;
      };
      let at = 0;
      for (const p of pieces) {
        const from = at;
        at += p.to - p.from;
        if (from < start) next.push({ ...p, to: p.from + Math.min(at, start) - from });
        if (!inserted && at >= start) insert();
        if (at > end) next.push({ ...p, from: p.from + Math.max(end - from, 0) });
      }
      if (!inserted) insert();
      pieces = next.filter((p) => p.to > p.from);
    }
    this.content = join(
      pieces.map((p) => p.source.substring(p.from, p.to)),
      this.wide,
    );
    this.pending = [];
    return this.content;
  }

  /** The character at `offset` of the text with the pending changes (NaN past its end). */
  private charAt(offset: number): number {
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const c = this.pending[i]!;
      if (offset < c.start) continue;
      if (offset < c.start + c.text.length) return c.text.charCodeAt(offset - c.start);
      offset += c.end - c.start - c.text.length;
    }
    return this.content.charCodeAt(offset);
  }

  private joinsLineBreak(at: number): boolean {
    return at > 0 && this.charAt(at - 1) === CR && this.charAt(at) === LF;
  }

  private lines(): number[] {
    return (this.starts ??= lineStarts(this.text(), true));
  }

  /** `offset` moved back before the line break of the line starting at `lineStart`, when it points into it. */
  private beforeLineBreak(offset: number, lineStart: number): number {
    while (offset > lineStart) {
      const c = this.charAt(offset - 1);
      if (c !== LF && c !== CR) break;
      offset--;
    }
    return offset;
  }
}
