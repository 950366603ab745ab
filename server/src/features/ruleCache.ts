import type { Diagnostic } from 'vscode-languageserver-types';
import type { ServerSettings } from '../../../shared/src/protocol';
import type { Chunk, ManifestDoc } from '../document/manifest';
import type { FactGenerations } from '../workspace/workspaceIndex';
import { RULES } from './rules';
import type { Finding } from './rules/rule';

/** What one rule found in one document, with the workspace facts it read (see `diagnosticsSteps`). */
export interface RuleResult {
  readonly found: readonly { readonly finding: Finding; readonly range: Diagnostic['range'] }[];
  /** Fact categories read, and their generations at the time. */
  readonly reads: number;
  readonly generations: FactGenerations;
  /** The documents whose renderings it read, with their rendering stamps then (see `renderStampOf`). */
  readonly docs: readonly DocStamp[];
  /**
   * The rule itself read nothing of the workspace: its findings are the same whatever the other files say (the
   * severity cap for unmodelled transformers, which reads the document's renderings, aside).
   */
  readonly local: boolean;
}

/** A document's rendering stamp as a rule read it. */
export interface DocStamp {
  readonly uri: string;
  readonly doc: number;
  readonly stamp: number;
}

export interface DocCache {
  readonly uri: string;
  readonly line: number;
  readonly eol: string;
  readonly settings: ServerSettings;
  /** Indexes in `RULES` of the rules that apply to the document. */
  readonly applicable: readonly number[];
  readonly results: (RuleResult | undefined)[];
}

/**
 * What rules found, cached on each document's chunk, and which rules apply to each header. One per language service
 * (see `createFluxService`); without one, every run starts from nothing.
 */
export class RuleResultCache {
  private readonly byChunk = new WeakMap<Chunk, DocCache>();
  /** `Rule.applies` reads the header only (apiVersion and kind), so its answers are shared per header. */
  private readonly applicableByHeader = new Map<string, readonly number[]>();

  /** The cache of a document, valid for its chunk at this line of this file, with these settings. */
  of(doc: ManifestDoc, settings: ServerSettings): DocCache {
    const uri = doc.file.uri;
    const line = doc.position(0).line;
    const eol = doc.file.eol;
    const cached = this.byChunk.get(doc.chunk);
    if (cached && cached.uri === uri && cached.line === line && cached.eol === eol && cached.settings === settings)
      return cached;
    const entry: DocCache = { uri, line, eol, settings, applicable: this.applicable(doc), results: [] };
    this.byChunk.set(doc.chunk, entry);
    return entry;
  }

  private applicable(doc: ManifestDoc): readonly number[] {
    const key = `${doc.apiVersion ?? ''}\u0000${doc.kind ?? ''}`;
    let found = this.applicableByHeader.get(key);
    if (!found) {
      const list: number[] = [];
      RULES.forEach((rule, i) => {
        if (rule.applies(doc)) list.push(i);
      });
      found = list;
      if (this.applicableByHeader.size < 1000) this.applicableByHeader.set(key, found);
    }
    return found;
  }
}
