import type { MapNode, OffsetMap, PairNode, ScalarNode, ScalarStyle, SeqNode, YamlNode } from './nodes';
import { pairNode } from './nodes';
import { resolvePlain } from './plainScalars';

/**
 * A fast path for the YAML that Kubernetes manifests are made of: block maps and sequences, single-line plain and
 * quoted scalars, `|`/`>` block scalars, single-line flow collections and comments. It builds our node model in one
 * pass over the text, about ten times faster than composing a `yaml` Document, and with the same values and offsets
 * (a unit test compares both on every fixture and example).
 *
 * Anything else (anchors, aliases, tags, multi-line plain or quoted scalars, complex keys, tabs, `|+`, indentation
 * indicators, syntax errors...) makes it give up and return undefined: the caller then parses with `yaml`, which
 * also reports the errors. The fast path never guesses.
 */
export function parseBlockYaml(src: string, map: OffsetMap): { root: YamlNode | undefined } | undefined {
  // Tabs, BOMs, directives and lone CRs are left to the full parser.
  if (src.indexOf('\t') !== -1 || src.charCodeAt(0) === 0xfeff || src.charCodeAt(0) === PERCENT) return undefined;
  if (src.indexOf('\r') !== -1 && /\r(?!\n)/.test(src)) return undefined;
  try {
    return { root: new BlockParser(src, map).document() };
  } catch (err) {
    if (err === BAIL) return undefined;
    throw err;
  }
}

/** Thrown (without a stack) when the input leaves the fast path. */
const BAIL = Object.freeze({ bail: true });

const LF = 10;
const CR = 13;
const SPACE = 32;
const HASH = 35;
const QUOTE_DOUBLE = 34;
const QUOTE_SINGLE = 39;
const COLON = 58;
const DASH = 45;
const PERCENT = 37;
const COMMA = 44;
const BACKSLASH = 92;

/** Characters that cannot start a plain scalar (besides `-?:` followed by a space). */
const NOT_PLAIN_START = new Set('[]{},#&*!|>\'"%@`'.split('').map((c) => c.charCodeAt(0)));

/** Deepest nesting handled here; deeper (hostile or generated) input goes to the full parser and its depth limit. */
const MAX_DEPTH = 100;
const MAX_KEY_LENGTH = 1024;

class BlockParser {
  private readonly n: number;
  /** Start of the line after the last parsed node (not yet skipped of blank and comment lines). */
  private pos = 0;
  /**
   * Where the last parsed node's trailing comments and line break end (`yaml`'s `range[2]`): a block collection's
   * `end` is its last value's `range[2]`, so this decides which comment lines after a collection belong to it.
   */
  private trail = 0;
  /** What the last parsed value was, for the trivia after it (see `resolveTrivia`). */
  private kind: 'flow' | 'null' | 'block' | 'collection' = 'flow';
  /** For a null value: where it is, and whether a comment follows it on its line. */
  private nullAt = 0;
  private nullComment = false;
  /**
   * Comment lines after the last value that no node has claimed yet (yaml's trailing "start-only" item): the
   * deepest indentation among them (-1: none), and where they end (the next content's indentation included).
   */
  private pendingIndent = -1;
  private pendingEnd = 0;
  private depth = 0;

  constructor(
    private readonly src: string,
    private readonly map: OffsetMap,
  ) {
    this.n = src.length;
  }

  document(): YamlNode | undefined {
    const { src } = this;
    let start = 0;
    let marker = false;
    if (src.startsWith('---')) {
      const after = src.charCodeAt(3);
      if (!(3 === this.n || after === LF || (after === CR && src.charCodeAt(4) === LF))) throw BAIL;
      marker = true;
      start = this.nextLine(3);
    }
    const ls = this.contentLine(start);
    if (ls >= this.n) return marker ? this.scalar(null, '', 'plain', 3, 3) : undefined;
    const ind = this.indentOf(ls);
    const c = ls + ind;
    if (!this.isSeqIndicator(c) && this.isDocMarker(ls)) throw BAIL;
    const root = this.blockCollection(c, ind);
    if (this.contentLine(this.pos) < this.n) throw BAIL; // content the structure above does not explain
    return root;
  }

  // ---- lines -----------------------------------------------------------------------------------------------

  /** Start of the line after the one containing `p` (or the end of the text). */
  private nextLine(p: number): number {
    const nl = this.src.indexOf('\n', p);
    return nl === -1 ? this.n : nl + 1;
  }

  /** The last `lineEnd` answer: it holds for any offset from `leFrom` to `leTo` (no line break between). */
  private leFrom = -1;
  private leTo = -1;

  /** End of the content of the line containing `p` (before `\r\n` / `\n`). */
  private lineEnd(p: number): number {
    if (p >= this.leFrom && p <= this.leTo) return this.leTo;
    const nl = this.src.indexOf('\n', p);
    const le = nl === -1 ? this.n : this.src.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
    this.leFrom = p;
    this.leTo = le;
    return le;
  }

  private indentOf(ls: number): number {
    let i = ls;
    while (this.src.charCodeAt(i) === SPACE) i++;
    return i - ls;
  }

  /** The first line at or after line start `p` that is neither blank nor a comment. */
  private contentLine(p: number): number {
    const { src, n } = this;
    while (p < n) {
      const c = p + this.indentOf(p);
      if (c >= n) return n;
      const ch = src.charCodeAt(c);
      if (ch === LF || (ch === CR && src.charCodeAt(c + 1) === LF) || ch === HASH) {
        p = this.nextLine(c);
        continue;
      }
      return p;
    }
    return n;
  }

  private isDocMarker(ls: number): boolean {
    const { src } = this;
    return (src.startsWith('---', ls) || src.startsWith('...', ls)) && this.isBreakOrSpace(ls + 3, this.lineEnd(ls));
  }

  private isBreakOrSpace(i: number, le: number): boolean {
    return i >= le || this.src.charCodeAt(i) === SPACE;
  }

  /** A `-` followed by a space or the end of the line (a lone `\r` never reaches the fast path). */
  private isSeqIndicator(c: number): boolean {
    if (this.src.charCodeAt(c) !== DASH) return false;
    if (c + 1 >= this.n) return true;
    const x = this.src.charCodeAt(c + 1);
    return x === SPACE || x === LF || x === CR;
  }

  /** After a same-line value ending at `end`: the rest of the line must be blank or a comment. */
  private finishLine(end: number, le: number): void {
    const { src } = this;
    const i = this.skipSpaces(end, le);
    if (i < le && !(src.charCodeAt(i) === HASH && i > end)) throw BAIL;
    this.pos = this.nextLine(end);
    this.trail = this.pos;
    this.kind = 'flow';
  }

  // ---- nodes -----------------------------------------------------------------------------------------------

  private scalar(value: ScalarNode['value'], text: string, style: ScalarStyle, start: number, end: number): ScalarNode {
    return { type: 'scalar', value, text, style, start: this.map(start), end: this.map(end) };
  }

  /** A plain scalar; `yaml` gives a few (merge keys, values its tags reject) a meaning the fast path does not copy. */
  private plain(text: string, atKey: boolean, start: number, end: number): ScalarNode {
    const value = resolvePlain(text, atKey);
    if (value === undefined) throw BAIL;
    return this.scalar(value, text, 'plain', start, end);
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw BAIL;
  }

  /**
   * A block sequence (when a `-` is at `first`) or map (a key is at `first`) whose entries sit in column `ind`. The
   * next content line in that column continues it when it holds the same kind of entry; a `-` there after a map's
   * entry would be a sequence beside its keys, which the fast path does not take.
   */
  private blockCollection(first: number, ind: number): MapNode | SeqNode {
    this.enter();
    const isSeq = this.isSeqIndicator(first);
    const items: YamlNode[] = [];
    const pairs: PairNode[] = [];
    let at = first;
    let end: number;
    for (;;) {
      if (isSeq) items.push(this.entryValue(at, ind, true));
      else {
        const key = this.keyAt(at);
        if (!key) throw BAIL;
        pairs.push(pairNode(key.node, this.entryValue(key.after, ind, false)));
      }
      this.resolveTrivia(ind);
      end = this.trail;
      const ls = this.pos;
      if (ls >= this.n) break;
      const ind2 = this.indentOf(ls);
      if (ind2 < ind) break;
      if (ind2 > ind) throw BAIL;
      const dash = this.isSeqIndicator(ls + ind);
      // A sequence ends at the next key of the map holding it (compact sequence); a top-level map at `---`.
      if (isSeq ? !dash : ind === 0 && this.isDocMarker(ls)) break;
      if (!isSeq && dash) throw BAIL;
      this.pendingIndent = -1; // the comments lead the next entry
      at = ls + ind;
    }
    this.depth--;
    this.closeCollection(ind);
    const start = this.map(first);
    const stop = this.map(end);
    return isSeq
      ? { type: 'seq', items, flow: false, start, end: stop }
      : { type: 'map', pairs, flow: false, start, end: stop };
  }

  /**
   * Blank and comment lines after a value, up to the next content line (where `pos` is left), assigned the way
   * `yaml`'s parser does: a null value takes them all (its range ends after them when one is a comment); a
   * single-line value takes the comment lines indented deeper than its collection that directly follow it; the rest
   * are pending until a collection ends (see `closeCollection`). A nested collection has done this already.
   */
  private resolveTrivia(ind: number): void {
    const kind = this.kind;
    if (kind === 'collection') return;
    const { src, n } = this;
    let p = this.pos;
    let trail = this.trail;
    let pending = -1;
    let comment = false;
    while (p < n) {
      const s = this.indentOf(p);
      const c = p + s;
      if (c >= n) {
        p = n;
        break;
      }
      const ch = src.charCodeAt(c);
      if (ch === LF || (ch === CR && src.charCodeAt(c + 1) === LF)) {
        p = this.nextLine(c);
        continue;
      }
      if (ch !== HASH) break;
      const end = this.nextLine(c);
      comment = true;
      if (kind === 'flow' && pending < 0 && s > ind) trail = end;
      else if (s > pending) pending = s;
      p = end;
    }
    const contentEnd = p < n ? p + this.indentOf(p) : n;
    this.pos = p;
    if (kind === 'null') {
      this.trail = comment || this.nullComment ? contentEnd : this.nullAt;
      this.pendingIndent = -1;
    } else {
      this.trail = trail;
      this.pendingIndent = pending;
    }
    this.pendingEnd = contentEnd;
  }

  /** A collection ends: pending comments indented at least as deep as its items stay in it (its `range[2]`). */
  private closeCollection(ind: number): void {
    if (this.pendingIndent >= 0 && ind !== 0 && this.pendingIndent >= ind) {
      this.trail = this.pendingEnd;
      this.pendingIndent = -1;
    }
    this.kind = 'collection';
  }

  /**
   * The value of a sequence entry (`inSeq`: `at` is its `-`) or of a map entry (`at` is just past its key's `:`),
   * in a collection in column `ind`.
   */
  private entryValue(at: number, ind: number, inSeq: boolean): YamlNode {
    const le = this.lineEnd(at);
    const c = this.skipSpaces(inSeq ? at + 1 : at, le);
    if (c >= le || this.src.charCodeAt(c) === HASH) return this.valueOnNextLines(c, le, ind, !inSeq);
    if (this.isSeqIndicator(c)) {
      if (!inSeq) throw BAIL; // `key: - x`
      return this.blockCollection(c, ind + (c - at));
    }
    if (inSeq && this.keyAt(c)) return this.blockCollection(c, ind + (c - at));
    return this.inlineValue(c, le, ind);
  }

  /** Nothing but a comment after the indicator: the value is the next lines' block node, or null. */
  private valueOnNextLines(c: number, le: number, ind: number, mapValue: boolean): YamlNode {
    const after = this.nextLine(le);
    const ls = this.contentLine(after);
    if (ls < this.n) {
      const ind2 = this.indentOf(ls);
      const first = ls + ind2;
      if (ind2 > ind) {
        if (this.isSeqIndicator(first) || this.keyAt(first)) return this.blockCollection(first, ind2);
        throw BAIL; // a scalar on its own line
      }
      if (mapValue && ind2 === ind && this.isSeqIndicator(first)) return this.blockCollection(first, ind2);
    }
    this.pos = after;
    this.kind = 'null';
    this.nullAt = c;
    this.nullComment = c < le;
    return this.scalar(null, '', 'plain', c, c);
  }

  /** A value starting at `c` on the same line as its key or `-`. */
  private inlineValue(c: number, le: number, parentIndent: number): YamlNode {
    const { src } = this;
    const ch = src.charCodeAt(c);
    if (ch === 124 /* | */ || ch === 62 /* > */) return this.blockScalar(c, parentIndent);
    if (ch === QUOTE_DOUBLE || ch === QUOTE_SINGLE) {
      const q = this.quoted(c, le);
      this.finishLine(q.end, le);
      return q.node;
    }
    if (ch === 91 /* [ */ || ch === 123 /* { */) {
      const node = this.flowCollection(c, le);
      this.finishLine(this.flowEnd, le);
      return node;
    }
    if (!this.plainStart(c, le)) throw BAIL;
    // Plain scalar: up to a comment; `: ` inside is a (forbidden) nested mapping.
    let end = c;
    for (let i = c; i < le; i++) {
      const x = src.charCodeAt(i);
      if (x === COLON) {
        if (i + 1 >= le || src.charCodeAt(i + 1) === SPACE) throw BAIL;
      } else if (x === HASH && src.charCodeAt(i - 1) === SPACE) break;
      if (x !== SPACE) end = i + 1;
    }
    const text = src.slice(c, end);
    this.finishLine(end, le);
    return this.plain(text, false, c, end);
  }

  private plainStart(c: number, le: number): boolean {
    const ch = this.src.charCodeAt(c);
    if (NOT_PLAIN_START.has(ch)) return false;
    if (ch === DASH || ch === 63 /* ? */ || ch === COLON) return !this.isBreakOrSpace(c + 1, le);
    return true;
  }

  /** A key at `c` (plain or quoted, followed by `:` and a space or the line end), or undefined. */
  private keyAt(c: number): { node: ScalarNode; after: number } | undefined {
    const { src } = this;
    const le = this.lineEnd(c);
    const ch = src.charCodeAt(c);
    if (ch === QUOTE_DOUBLE || ch === QUOTE_SINGLE) {
      const q = this.quoted(c, le);
      const j = this.skipSpaces(q.end, le);
      if (j >= le || src.charCodeAt(j) !== COLON || !this.isBreakOrSpace(j + 1, le)) return undefined;
      if (q.end - c > MAX_KEY_LENGTH) throw BAIL;
      return { node: q.node, after: j + 1 };
    }
    if (!this.plainStart(c, le)) return undefined;
    for (let i = c + 1; i < le; i++) {
      const x = src.charCodeAt(i);
      if (x === COLON && this.isBreakOrSpace(i + 1, le)) {
        let end = i;
        while (src.charCodeAt(end - 1) === SPACE) end--;
        if (end - c > MAX_KEY_LENGTH) throw BAIL;
        const text = src.slice(c, end);
        return { node: this.plain(text, true, c, end), after: i + 1 };
      }
      if (x === HASH && src.charCodeAt(i - 1) === SPACE) return undefined;
    }
    return undefined;
  }

  /** A quoted scalar that closes on its line, and the offset after its closing quote. */
  private quoted(c: number, le: number): { node: ScalarNode; end: number } {
    const { src } = this;
    if (src.charCodeAt(c) === QUOTE_SINGLE) {
      let value = '';
      let i = c + 1;
      for (;;) {
        const j = src.indexOf("'", i);
        if (j === -1 || j >= le) throw BAIL;
        value += src.slice(i, j);
        if (src.charCodeAt(j + 1) === QUOTE_SINGLE && j + 1 < le) {
          value += "'";
          i = j + 2;
          continue;
        }
        return this.quotedNode(value, 'single', c, j + 1);
      }
    }
    let value = '';
    let i = c + 1;
    for (;;) {
      let j = i;
      while (j < le) {
        const x = src.charCodeAt(j);
        if (x === QUOTE_DOUBLE || x === BACKSLASH) break;
        j++;
      }
      if (j >= le) throw BAIL;
      value += src.slice(i, j);
      if (src.charCodeAt(j) === QUOTE_DOUBLE) return this.quotedNode(value, 'double', c, j + 1);
      const e = src[j + 1];
      if (j + 1 >= le) throw BAIL; // escaped line break
      const simple = ESCAPES[e];
      if (simple !== undefined) {
        value += simple;
        i = j + 2;
        continue;
      }
      const len = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
      const hex = src.slice(j + 2, j + 2 + len);
      if (len === 0 || j + 2 + len > le || !/^[0-9a-fA-F]+$/.test(hex)) throw BAIL;
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) throw BAIL;
      value += String.fromCodePoint(code);
      i = j + 2 + len;
    }
  }

  private quotedNode(value: string, style: ScalarStyle, c: number, end: number): { node: ScalarNode; end: number } {
    return { node: this.scalar(value, value, style, c, end), end };
  }

  /** End of the last flow collection parsed. */
  private flowEnd = 0;

  /** A flow collection that closes on its line (`[]`, `{}`, `[a, "b"]`, `{k: v}`). */
  private flowCollection(c: number, le: number): MapNode | SeqNode {
    this.enter();
    const { src } = this;
    const isSeq = src.charCodeAt(c) === 91;
    const close = isSeq ? 93 : 125;
    const items: YamlNode[] = [];
    const pairs: PairNode[] = [];
    let i = this.skipSpaces(c + 1, le);
    while (src.charCodeAt(i) !== close) {
      if (i >= le) throw BAIL;
      if (isSeq) items.push(this.flowItem(i, le, false));
      else {
        const key = this.flowItem(i, le, true);
        if (key.type !== 'scalar') throw BAIL;
        let j = this.skipSpaces(this.flowEnd, le);
        if (src.charCodeAt(j) !== COLON || !this.isBreakOrSpace(j + 1, le)) throw BAIL;
        j = this.skipSpaces(j + 1, le);
        const value = this.flowItem(j, le, false);
        pairs.push(pairNode(key, value));
      }
      i = this.skipSpaces(this.flowEnd, le);
      const x = src.charCodeAt(i);
      if (x === COMMA) i = this.skipSpaces(i + 1, le);
      else if (x !== close) throw BAIL;
    }
    this.depth--;
    this.flowEnd = i + 1;
    const start = this.map(c);
    const end = this.map(i + 1);
    return isSeq ? { type: 'seq', items, flow: true, start, end } : { type: 'map', pairs, flow: true, start, end };
  }

  private skipSpaces(i: number, le: number): number {
    while (i < le && this.src.charCodeAt(i) === SPACE) i++;
    return i;
  }

  /** One flow item (scalar or nested collection); sets `flowEnd`. */
  private flowItem(c: number, le: number, atKey: boolean): YamlNode {
    const { src } = this;
    const ch = src.charCodeAt(c);
    if (ch === 91 || ch === 123) return this.flowCollection(c, le);
    if (ch === QUOTE_DOUBLE || ch === QUOTE_SINGLE) {
      const q = this.quoted(c, le);
      this.flowEnd = q.end;
      if (!atKey && src.charCodeAt(this.skipSpaces(q.end, le)) === COLON) throw BAIL; // an implicit pair
      return q.node;
    }
    if (!this.plainStart(c, le)) throw BAIL;
    let end = c;
    let i = c;
    for (; i < le; i++) {
      const x = src.charCodeAt(i);
      if (x === COMMA || x === 93 || x === 125 || x === 91 || x === 123) break;
      if (x === COLON) {
        const nx = src.charCodeAt(i + 1);
        if (i + 1 >= le || nx === SPACE || nx === COMMA || nx === 93 || nx === 125 || nx === 91 || nx === 123) {
          if (!atKey) throw BAIL; // an implicit pair inside a flow sequence
          break;
        }
      }
      if (x === HASH && src.charCodeAt(i - 1) === SPACE) throw BAIL;
      if (x !== SPACE) end = i + 1;
    }
    const x = src.charCodeAt(i);
    if (x === 91 || x === 123) throw BAIL;
    const text = src.slice(c, end);
    this.flowEnd = end;
    return this.plain(text, atKey, c, end);
  }

  /** A `|` or `>` block scalar whose header is at `c`, below a node in column `parentIndent`. */
  private blockScalar(c: number, parentIndent: number): ScalarNode {
    const { src, n } = this;
    const folded = src.charCodeAt(c) === 62;
    let i = c + 1;
    let strip = false;
    const chomp = src.charCodeAt(i);
    if (chomp === DASH) {
      strip = true;
      i++;
    } else if (chomp === 43 /* + */ || (chomp >= 48 && chomp <= 57)) throw BAIL;
    const x = src.charCodeAt(i);
    if (x >= 48 && x <= 57) throw BAIL; // indentation indicator
    const le = this.lineEnd(c);
    this.finishLine(i, le); // only a comment may follow the header
    let p = this.pos;
    // The indentation is that of the first non-empty line (-1 before it); leading empty lines may not be longer.
    let blockIndent = -1;
    let leadingEmpty = 0;
    let value = '';
    let emptyLines = 0;
    let seenContent = false;
    let end = p;
    while (p < n) {
      const s = this.indentOf(p);
      const e = this.lineEnd(p);
      if (p + s >= e) {
        if (blockIndent < 0) leadingEmpty = Math.max(leadingEmpty, s);
        else if (s > blockIndent) throw BAIL; // a line of spaces is content
        emptyLines++;
        p = this.nextLine(p);
        continue;
      }
      if (blockIndent < 0) {
        if (s <= parentIndent || leadingEmpty > s) throw BAIL;
        blockIndent = s;
      }
      if (s < blockIndent) break;
      const text = src.slice(p + blockIndent, e);
      if (folded) {
        if (s > blockIndent) throw BAIL; // more-indented lines are not folded
        value += seenContent ? (emptyLines === 0 ? ' ' : '\n'.repeat(emptyLines)) : '\n'.repeat(emptyLines);
      } else value += (seenContent ? '\n' : '') + '\n'.repeat(emptyLines);
      value += text;
      seenContent = true;
      emptyLines = 0;
      p = this.nextLine(p);
      end = p;
    }
    if (blockIndent < 0) throw BAIL; // no content
    if (!strip) value += '\n';
    this.pos = end;
    this.trail = end;
    this.kind = 'block';
    return this.scalar(value, value, folded ? 'folded' : 'literal', c, end);
  }
}

const ESCAPES: Record<string, string | undefined> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
};
