/** Zero-based line/character position, the same shape as an LSP `Position` (UTF-16 code units). */
export interface Position {
  line: number;
  character: number;
}

/**
 * Line starts of one version of a text without the text: what a position kept for later (a rendered value's origin)
 * needs to become a line and character. Shares the array of its `LineIndex`.
 */
export class LineStarts {
  constructor(
    private readonly starts: Uint32Array,
    /** Length of the text (offsets are clamped to it, as `LineIndex.positionAt` does). */
    private readonly length: number,
  ) {}

  lineOf(offset: number): number {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.length));
    const line = this.lineOf(clamped);
    return { line, character: clamped - this.starts[line] };
  }
}

/**
 * Offsets of line starts in a text, for offset <-> position conversion in O(log n). Lines end as LSP (and YAML) say:
 * at `\n`, `\r\n` or a `\r` alone.
 */
export class LineIndex {
  private readonly starts: Uint32Array;
  /** The same line starts without the text (for positions kept after the text is gone). */
  readonly positions: LineStarts;
  /** Whether the text has a `\r` that is not followed by `\n` (rare: then every edit searches the whole text). */
  private readonly loneCr: boolean;

  /**
   * With `previous` (the index of an earlier version of the text) and the extent of the edit between them, only the
   * lines of the edited region are searched: those before it are copied, those after it shifted.
   */
  constructor(
    private readonly text: string,
    previous?: { index: LineIndex; head: number; oldTailStart: number; delta: number },
  ) {
    // A lone `\r` before or in the edit (or one the edit made, by taking the `\n` after it): search the whole text.
    const incremental =
      previous &&
      !previous.index.loneCr &&
      !LONE_CR.test(text.slice(Math.max(0, previous.head - 1), previous.oldTailStart + previous.delta + 1));
    this.loneCr = !incremental && text.includes('\r') && LONE_CR.test(text);
    this.starts = incremental
      ? LineIndex.updated(text, previous)
      : this.loneCr
        ? LineIndex.scanAllBreaks(text)
        : LineIndex.scan(text);
    this.positions = new LineStarts(this.starts, text.length);
  }

  private static scan(text: string): Uint32Array {
    let count = 1;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
    const starts = new Uint32Array(count);
    let n = 1;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts[n++] = i + 1;
    return starts;
  }

  private static scanAllBreaks(text: string): Uint32Array {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) starts.push(i + 1);
    }
    return Uint32Array.from(starts);
  }

  /** Line starts after an edit that left `text[0, head)` and the old text from `oldTailStart` on unchanged. */
  private static updated(
    text: string,
    { index, head, oldTailStart, delta }: { index: LineIndex; head: number; oldTailStart: number; delta: number },
  ): Uint32Array {
    const old = index.starts;
    // Line starts up to the head are unchanged (a start at `head` itself follows a break inside the head).
    let keepBefore = 0;
    while (keepBefore < old.length && old[keepBefore] <= head) keepBefore++;
    // Old starts after the tail start are preceded by an unchanged break: they move by `delta`.
    let keepAfter = old.length;
    while (keepAfter > keepBefore && old[keepAfter - 1] > oldTailStart) keepAfter--;
    const middle: number[] = [];
    const from = head;
    const to = oldTailStart + delta; // exclusive: breaks at [from, to) in the new text
    for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) middle.push(i + 1);
    const starts = new Uint32Array(keepBefore + middle.length + (old.length - keepAfter));
    starts.set(old.subarray(0, keepBefore), 0);
    starts.set(middle, keepBefore);
    let n = keepBefore + middle.length;
    for (let j = keepAfter; j < old.length; j++) starts[n++] = old[j] + delta;
    return starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }

  /** End of the line's content, before `\r\n` or `\n`. */
  lineEnd(line: number): number {
    const next = line + 1 < this.starts.length ? this.starts[line + 1] - 1 : this.text.length;
    return next > this.lineStart(line) && this.text[next - 1] === '\r' ? next - 1 : next;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }

  lineOf(offset: number): number {
    return this.positions.lineOf(offset);
  }

  positionAt(offset: number): Position {
    return this.positions.positionAt(offset);
  }

  offsetAt(position: Position): number {
    if (position.line >= this.starts.length) return this.text.length;
    if (position.line < 0) return 0;
    const start = this.starts[position.line];
    return Math.min(start + Math.max(0, position.character), this.lineEnd(position.line));
  }
}

const LF = 10;
const CR = 13;
const LONE_CR = /\r(?!\n)/;
