/**
 * Cheap splitting of a multi-document YAML file at `---` / `...` markers, and a header scan for `apiVersion`/`kind`
 * that needs no parse. A marker at column 0 always separates documents in YAML (it cannot occur inside a block
 * scalar of a document), so this split is exact.
 */

export interface ChunkBounds {
  start: number;
  end: number;
}

const MARKER = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/;

export function splitDocuments(text: string): ChunkBounds[] {
  const chunks = splitRange(text, 0, text.length);
  if (chunks.length === 0) chunks.push({ start: 0, end: text.length });
  return chunks;
}

/**
 * The documents of `text` between `from` and `to`, both of which must be document boundaries (the start of the
 * text, the start of a `---` line, or the line after a `...` line). Used to re-split only the edited region.
 */
export function splitRange(text: string, from: number, to: number): ChunkBounds[] {
  const chunks: ChunkBounds[] = [];
  let chunkStart = from;
  let lineStart = from;
  while (lineStart < to) {
    const nl = text.indexOf('\n', lineStart);
    const lineEnd = nl === -1 ? text.length : nl + 1;
    const c = text.charCodeAt(lineStart);
    if (
      (c === 45 /* - */ || c === 46) /* . */ &&
      MARKER.test(text.slice(lineStart, Math.min(lineEnd, lineStart + 4)))
    ) {
      const isEnd = c === 46;
      if (lineStart > chunkStart || isEnd) chunks.push({ start: chunkStart, end: isEnd ? lineEnd : lineStart });
      chunkStart = isEnd ? lineEnd : lineStart;
    }
    lineStart = lineEnd;
  }
  if (chunkStart < to) chunks.push({ start: chunkStart, end: to });
  return chunks;
}

export interface ChunkHeader {
  apiVersion?: string;
  kind?: string;
  /** False when the document is not in block style (e.g. flow/JSON): the header cannot be read without a parse. */
  reliable: boolean;
}

const API_VERSION = /^["']?apiVersion["']?[ \t]*:[ \t]*["']?([^\s"'#,}]+)/m;
const KIND = /^["']?kind["']?[ \t]*:[ \t]*["']?([^\s"'#,}]+)/m;
const FLOW_START = /^(?:---[^\n]*\n)?(?:[ \t]*(?:#[^\r\n]*)?\r?\n)*[ \t]*[{[]/;

export function scanHeader(chunk: string): ChunkHeader {
  const apiVersion = API_VERSION.exec(chunk)?.[1];
  const kind = KIND.exec(chunk)?.[1];
  return {
    ...(apiVersion ? { apiVersion } : {}),
    ...(kind ? { kind } : {}),
    reliable: !FLOW_START.test(chunk),
  };
}
