import type { Diagnostic, DiagnosticRelatedInformation, TextEdit } from 'vscode-languageserver';
import type { RuleCode } from '../../catalog';
import type { ManifestDoc } from '../../document/manifest';
import type { Span } from '../../document/nodes';
import type { Cluster, WorkspaceIndex } from '../../workspace/workspaceIndex';
import type { ServerSettings } from '../../../../shared/src/protocol';

/** A mechanical fix, computed with the diagnostic and carried in its `data`. */
export interface Fix {
  readonly title: string;
  /** Edits per document uri. */
  readonly edits: Readonly<Record<string, readonly TextEdit[]>>;
  /** True for the fix a user most likely wants (shown first, `isPreferred`). */
  readonly preferred?: boolean;
}

/** What a rule reports: chunk offsets of the document it looked at, and the message. */
export interface Finding {
  readonly code: RuleCode;
  readonly span: Span;
  readonly message: string;
  readonly severity?: Diagnostic['severity'];
  readonly related?: readonly DiagnosticRelatedInformation[];
  readonly fixes?: readonly Fix[];
}

export interface RuleContext {
  readonly doc: ManifestDoc;
  readonly index: WorkspaceIndex;
  readonly settings: ServerSettings;
  /** The Flux version that applies to this file, if known. */
  readonly fluxVersion: string | undefined;
  /** The clusters the file is applied to (every cluster when unknown). */
  readonly clusters: readonly Cluster[];
  /** Whether a value was copied from docs unchanged (placeholders are reported once, by their own rule). */
  readonly isPlaceholder: (text: string) => boolean;
}

/** A rule looks at one document (and the workspace index) and returns findings. */
export interface Rule {
  readonly name: string;
  /**
   * Cheap pre-check on the document header; documents it rejects are not parsed for this rule. It must depend on
   * the document's apiVersion and kind only: answers are memoized per (apiVersion, kind).
   */
  readonly applies: (doc: ManifestDoc) => boolean;
  /**
   * Judges one document. It may read that document and, through the context, the workspace index, the settings and
   * the file's uri and line breaks, not the file's other documents: findings are cached per document and recomputed
   * when the document, its position or the index facts the rule read change (see `diagnosticsSteps`).
   */
  readonly check: (ctx: RuleContext) => Finding[];
}

/** The diagnostic data carried to code actions. */
export interface DiagnosticData {
  readonly fixes: readonly Fix[];
  readonly version: number;
}
