import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { EXTENSION_SOURCE } from '../../../shared/src/protocol';
import { isPlaceholder, isSopsConfigPath, ruleByCode, FLUX_AZURE_DOCS } from '../catalog';
import type { ManifestDoc, ManifestFile } from '../document/manifest';
import { RuleResultCache, type DocStamp, type RuleResult } from './ruleCache';
import { initialGenerations, type FactGenerations, type WorkspaceIndex } from '../workspace/workspaceIndex';
import { readRepoConfig } from '../workspace/repoConfig';
import type { FeatureContext } from './context';
import { RULES } from './rules';
import type { DiagnosticData, Finding, Rule, RuleContext } from './rules/rule';
import { suppressions } from './suppressions';
import { injectedFault } from '../testFaults';

const SEVERITY: Record<string, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Runs every rule over every document of a file. Only Flux/Azure content is judged; YAML syntax is not. */
export function computeDiagnostics(
  file: ManifestFile,
  ctx: FeatureContext,
  only?: (code: string) => boolean,
): Diagnostic[] {
  const steps = diagnosticsSteps(file, ctx, only);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * `computeDiagnostics` one document at a time: the generator yields after each document, so the server can pause
 * between documents (to answer requests) and drop a run whose text has changed meanwhile.
 *
 * What each rule found is cached on the document's chunk, with what the rule read besides the document: a rule that
 * read no workspace facts is not run again while the chunk, its line, the file and the settings stay the same; one
 * that did is run again only when a fact category it read has changed (see `FactGenerations`). After an edit in a
 * large file, only the edited document's rules and the cross-file rules whose facts changed run.
 */
export function* diagnosticsSteps(
  file: ManifestFile,
  ctx: FeatureContext,
  only?: (code: string) => boolean,
): Generator<void, Diagnostic[], void> {
  return (yield* findingsSteps(file, ctx, only)).diagnostics;
}

/**
 * What a file's findings depend on besides its text and the settings: the fact categories its rules read, and their
 * generations when it was judged. While `findingsHold` says yes, judging the same text again finds the same.
 */
export interface FindingsBasis {
  readonly reads: number;
  readonly generations: Readonly<FactGenerations>;
  /** The documents whose renderings its rules read, with their rendering stamps. */
  readonly docs: readonly DocStamp[];
}

/** `diagnosticsSteps`, also returning what the findings depend on (for files judged without being open). */
export function* findingsSteps(
  file: ManifestFile,
  ctx: FeatureContext,
  only?: (code: string) => boolean,
  /** Only the findings of rules that read nothing of the workspace (see `RuleResult.local`). */
  localOnly = false,
): Generator<void, { diagnostics: Diagnostic[]; basis: FindingsBasis }, void> {
  const out: Diagnostic[] = [];
  const suppressed = suppressions(file);
  const tracker = new RuleTracker(
    ctx.index,
    () => ctx.index.clustersOf(file.uri),
    () => ctx.index.fluxVersionFor(file.uri),
  );
  const gens = ctx.index.generations;
  const caches = ctx.ruleResults ?? new RuleResultCache();
  if (ctx.index.isRepoConfigFile(file.uri)) out.push(...repoConfigDiagnostics(file, only));
  // Documents without a kind are not Kubernetes objects; a `.sops.yaml` is the one such file rules judge.
  const sopsConfig = isSopsConfigPath(file.uri);
  // The generations as the run starts: results are valid at these or later ones, so a fact that moves during the
  // run (at a yield) leaves the basis out of date and the file is judged again.
  const generations = { ...gens };
  let reads = 0;
  const docs: DocStamp[] = [];
  for (const doc of file.docs) {
    if (!doc.kind && doc.chunk.header.reliable && !sopsConfig) continue;
    const cache = caches.of(doc, ctx.settings);
    for (const i of cache.applicable) {
      let result = cache.results[i];
      if (!result || !stillValid(result, gens, ctx.index)) {
        result = runRule(RULES[i], doc, ctx, tracker);
        cache.results[i] = result;
      }
      reads |= result.reads;
      if (result.docs.length > 0) docs.push(...result.docs);
      if (localOnly && !result.local) continue;
      for (const { finding, range } of result.found) {
        if (only && !only(finding.code)) continue;
        if (suppressed(finding.code, range.start.line)) continue;
        out.push(toDiagnostic(finding, range, file.version));
      }
    }
    yield;
  }
  return { diagnostics: out, basis: { reads, generations, docs: uniqueStamps(docs) } };
}

function uniqueStamps(docs: DocStamp[]): DocStamp[] {
  if (docs.length < 2) return docs;
  const seen = new Map<string, DocStamp>();
  for (const d of docs) seen.set(`${d.uri}#${d.doc}`, d);
  return [...seen.values()];
}

/** Whether findings judged on `basis` still stand with the index's facts now (same text and settings). */
export function findingsHold(basis: FindingsBasis, index: WorkspaceIndex): boolean {
  return stillValid(basis, index.generations, index);
}

/** Fact categories a rule read: bits of `FactGenerations`. */
const SERVICE_ACCOUNTS = 1;
const SECRETS = 2;
const CLUSTER = 4;
const IDENTITY_REFS = 8;
const RENDERED = 16;
/** The renderings of particular documents (`renderingsOf`): valid while their rendering stamps stay. */
const DOC_RENDERED = 32;
const RENDERED_ACCOUNTS = 64;
const RENDERED_CONTROLLERS = 128;
const RENDER_PROBLEMS = 256;
const RENDERED_LOGINS = 512;
const ALL_FACTS =
  SERVICE_ACCOUNTS |
  SECRETS |
  CLUSTER |
  IDENTITY_REFS |
  RENDERED |
  DOC_RENDERED |
  RENDERED_ACCOUNTS |
  RENDERED_CONTROLLERS |
  RENDER_PROBLEMS |
  RENDERED_LOGINS;

/**
 * What each `WorkspaceIndex` query reads. Keyed by the index's own member names, so renaming a query without this
 * table fails to compile; a member not listed counts as reading everything (correct, only slower).
 */
const QUERY_READS = {
  serviceAccounts: SERVICE_ACCOUNTS | CLUSTER,
  allServiceAccounts: SERVICE_ACCOUNTS | CLUSTER,
  secrets: SECRETS | CLUSTER,
  allSecrets: SECRETS | CLUSTER,
  identityRefs: IDENTITY_REFS | CLUSTER,
  inheritedNamespace: CLUSTER,
  fluxVersionFor: CLUSTER,
  clustersOf: CLUSTER,
  clusters: CLUSTER,
  rootOf: CLUSTER,
  renderingsOf: DOC_RENDERED | CLUSTER,
  renderingOf: RENDERED | CLUSTER,
  readByCluster: RENDERED | CLUSTER,
  renderedAccounts: RENDERED_ACCOUNTS | CLUSTER,
  renderedDeployments: RENDERED_CONTROLLERS | CLUSTER,
  renderProblemsOf: RENDER_PROBLEMS | CLUSTER,
  logsInTo: IDENTITY_REFS | RENDERED_LOGINS | CLUSTER,
  generations: 0,
} as const satisfies Partial<Record<keyof WorkspaceIndex, number>>;

function readsOf(member: string | symbol): number {
  return typeof member === 'string' && Object.hasOwn(QUERY_READS, member)
    ? QUERY_READS[member as keyof typeof QUERY_READS]
    : ALL_FACTS;
}

function stillValid(
  result: Pick<RuleResult, 'reads' | 'generations' | 'docs'>,
  gens: Readonly<FactGenerations>,
  index: WorkspaceIndex,
): boolean {
  const r = result.reads;
  if (r === 0) return true;
  const then = result.generations;
  return (
    (!(r & SERVICE_ACCOUNTS) || then.serviceAccounts === gens.serviceAccounts) &&
    (!(r & SECRETS) || then.secrets === gens.secrets) &&
    (!(r & IDENTITY_REFS) || then.identityRefs === gens.identityRefs) &&
    (!(r & CLUSTER) || then.cluster === gens.cluster) &&
    (!(r & RENDERED) || then.rendered === gens.rendered) &&
    (!(r & RENDERED_ACCOUNTS) || then.renderedAccounts === gens.renderedAccounts) &&
    (!(r & RENDERED_CONTROLLERS) || then.renderedControllers === gens.renderedControllers) &&
    (!(r & RENDER_PROBLEMS) || then.renderProblems === gens.renderProblems) &&
    (!(r & RENDERED_LOGINS) || then.renderedLogins === gens.renderedLogins) &&
    (!(r & DOC_RENDERED) || result.docs.every((d) => index.renderStampOf(d.uri, d.doc) === d.stamp))
  );
}

function runRule(rule: Rule, doc: ManifestDoc, ctx: FeatureContext, tracker: RuleTracker): RuleResult {
  const rc = tracker.contextFor(doc, ctx.settings);
  let findings: Finding[];
  try {
    injectedFault('rule', rule.name);
    findings = rule.check(rc);
  } catch (err) {
    // A rule that trips over odd input reports nothing for that document rather than taking the server down.
    if (ctx.onRuleError) ctx.onRuleError(rule.name, err);
    else
      console.error(
        `rule ${rule.name} failed on ${doc.file.uri}#${doc.index}: ${err instanceof Error ? err.stack : String(err)}`,
      );
    findings = [];
  }
  if (findings.length === 0 && tracker.reads === 0) return NOTHING_FOUND;
  const local = tracker.reads === 0;
  if (findings.length > 0) findings = capBeyondModel(findings, doc, tracker.trackedIndex);
  const found = findings.length === 0 ? [] : findings.map((finding) => ({ finding, range: doc.range(finding.span) }));
  return { found, reads: tracker.reads, generations: tracker.generations(), docs: tracker.docs, local };
}

/**
 * Unknown is not wrong: when every rendering of the document passed a transformer the rendering does not model
 * (`transformers`, `vars`), what Flux applies may differ from what the rules saw, so no finding is more than an
 * information, and it says why.
 */
function capBeyondModel(findings: Finding[], doc: ManifestDoc, index: WorkspaceIndex): Finding[] {
  const renderings = index.renderingsOf(doc.file.uri, doc.index);
  const why = renderings[0]?.object.beyondModel?.why;
  if (!why || !renderings.every((r) => r.object.beyondModel)) return findings;
  return findings.map((f) => {
    if (severityOf(f) >= DiagnosticSeverity.Information) return f;
    return {
      ...f,
      severity: DiagnosticSeverity.Information,
      message: `${f.message} Not judged as a problem: ${why}.`,
    };
  });
}

/** The most common result: nothing found, no workspace fact read (shared, to keep the cache small). */
const NOTHING_FOUND: RuleResult = Object.freeze({
  found: Object.freeze([]) as RuleResult['found'],
  reads: 0,
  generations: Object.freeze(initialGenerations()),
  docs: Object.freeze([]) as readonly DocStamp[],
  local: true,
});

/**
 * Hands rules a context that records which workspace facts they read: the index behind a proxy that notes each
 * query, and the cluster-derived `fluxVersion` and `clusters`.
 */
class RuleTracker {
  reads = 0;
  /** The documents whose renderings the rule read (`renderingsOf`), with their stamps. */
  docs: DocStamp[] = [];
  readonly trackedIndex: WorkspaceIndex;
  private snapshot: FactGenerations | undefined;

  /** The index's fact generations now, one shared copy while they do not move. */
  generations(): FactGenerations {
    const g = this.index.generations;
    const s = this.snapshot;
    if (
      !s ||
      s.serviceAccounts !== g.serviceAccounts ||
      s.secrets !== g.secrets ||
      s.identityRefs !== g.identityRefs ||
      s.cluster !== g.cluster ||
      s.rendered !== g.rendered ||
      s.renderedAccounts !== g.renderedAccounts ||
      s.renderedControllers !== g.renderedControllers ||
      s.renderProblems !== g.renderProblems ||
      s.renderedLogins !== g.renderedLogins
    )
      this.snapshot = { ...g };
    return this.snapshot!;
  }

  private clustersValue: { value: RuleContext['clusters'] } | undefined;
  private fluxVersionValue: { value: string | undefined } | undefined;

  /** The document's clusters and Flux version, looked up when a rule first asks (once per file). */
  get clusters(): RuleContext['clusters'] {
    this.clustersValue ??= { value: this.clustersOf() };
    return this.clustersValue.value;
  }

  get fluxVersion(): string | undefined {
    this.fluxVersionValue ??= { value: this.fluxVersionOf() };
    return this.fluxVersionValue.value;
  }

  constructor(
    private readonly index: WorkspaceIndex,
    private readonly clustersOf: () => RuleContext['clusters'],
    private readonly fluxVersionOf: () => string | undefined,
  ) {
    this.trackedIndex = new Proxy(index, {
      get: (target, prop, receiver) => {
        this.reads |= readsOf(prop);
        if (prop === 'renderingsOf')
          return (uri: string, doc: number) => {
            this.docs.push({ uri, doc, stamp: index.renderStampOf(uri, doc) });
            return index.renderingsOf(uri, doc);
          };
        const value: unknown = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  contextFor(doc: ManifestDoc, settings: FeatureContext['settings']): RuleContext {
    this.reads = 0;
    this.docs = [];
    return new TrackedRuleContext(this, doc, settings);
  }
}

class TrackedRuleContext implements RuleContext {
  readonly isPlaceholder = isPlaceholder;

  constructor(
    private readonly tracker: RuleTracker,
    readonly doc: ManifestDoc,
    readonly settings: FeatureContext['settings'],
  ) {}

  get index(): WorkspaceIndex {
    return this.tracker.trackedIndex;
  }

  get clusters(): RuleContext['clusters'] {
    this.tracker.reads |= CLUSTER;
    return this.tracker.clusters;
  }

  get fluxVersion(): string | undefined {
    this.tracker.reads |= CLUSTER;
    return this.tracker.fluxVersion;
  }
}

/** A finding's severity: its own, else its rule's (warning when the rule does not say). */
function severityOf(f: Finding): DiagnosticSeverity {
  return f.severity ?? SEVERITY[ruleByCode(f.code)?.severity ?? 'warning'] ?? DiagnosticSeverity.Warning;
}

function toDiagnostic(f: Finding, range: Diagnostic['range'], version: number): Diagnostic {
  const meta = ruleByCode(f.code);
  const data: DiagnosticData = { fixes: f.fixes ?? [], version };
  return {
    range,
    message: f.message,
    severity: severityOf(f),
    code: f.code,
    codeDescription: { href: meta?.docsUrl ?? FLUX_AZURE_DOCS },
    source: EXTENSION_SOURCE,
    ...(f.related && f.related.length > 0 ? { relatedInformation: [...f.related] } : {}),
    data,
  };
}

/** The problems of a repository's `.flux-azure.yaml`, on the entries they concern. */
function repoConfigDiagnostics(file: ManifestFile, only?: (code: string) => boolean): Diagnostic[] {
  const meta = ruleByCode('flux-azure/repo-config-invalid');
  if (only && !only(meta.code)) return [];
  return readRepoConfig(file).problems.map((p) => ({
    range: p.range,
    message: p.message,
    severity: SEVERITY[meta.severity],
    code: meta.code,
    codeDescription: { href: meta.docsUrl },
    source: EXTENSION_SOURCE,
  }));
}

/** The one message for a document we decline to analyse (too large, binary), at its first character. */
export function declinedDiagnostic(reason: string): Diagnostic {
  const meta = ruleByCode('flux-azure/file-not-analysed');
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    message: `Flux for Azure does not analyse this file: ${reason}.`,
    severity: SEVERITY[meta.severity],
    code: meta.code,
    source: EXTENSION_SOURCE,
  };
}
