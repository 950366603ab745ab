import { LineIndex, type Position } from './lineIndex';
import { scanHeader, splitDocuments, type ChunkHeader } from './chunks';
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

  constructor(readonly text: string) {
    this.header = scanHeader(text);
  }

  get parsed(): ParsedYaml {
    this.parsedValue ??= parseYaml(this.text);
    return this.parsedValue;
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
  ) {
    this.lines = new LineIndex(text);
    this.docs = chunks.map(({ chunk, offset }, i) => new ManifestDoc(this, chunk, offset, i));
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
 * Splits a file into documents. Chunks of `previous` whose text is unchanged are reused with their parse, so an
 * edit costs the parse of the edited document only.
 */
export function parseManifest(uri: string, version: number, text: string, previous?: ManifestFile): ManifestFile {
  const reuse = new Map<string, Chunk>();
  if (previous) for (const doc of previous.docs) reuse.set(doc.chunk.text, doc.chunk);
  const chunks = splitDocuments(text).map(({ start, end }) => {
    const slice = text.slice(start, end);
    return { chunk: reuse.get(slice) ?? new Chunk(slice), offset: start };
  });
  return new ManifestFile(uri, version, text, chunks);
}
