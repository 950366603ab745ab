import type { CompletionItem, CompletionList, Position } from 'vscode-languageserver';
import { isControllerName } from '../catalog';
import type { ManifestFile } from '../document/manifest';
import { completionCursor, type CompletionCursor } from './completionCursor';
import { asoCompletions } from './completions/aso';
import { fluxInstanceCompletions, fluxObjectCompletions } from './completions/fluxObject';
import { patchCompletions } from './completions/patches';
import { secretCompletions } from './completions/secretKeys';
import { podTemplateCompletions, serviceAccountCompletions } from './completions/workloadIdentity';
import type { FeatureContext } from './context';
import { subjectOf } from './subject';

type Provider = (c: CompletionCursor, ctx: FeatureContext) => CompletionItem[] | undefined;

/** Each provider answers for one kind of document and returns undefined elsewhere; the first answer wins. */
const PROVIDERS: readonly Provider[] = [
  fluxObjectCompletions,
  patchCompletions,
  (c) => fluxInstanceCompletions(c),
  secretCompletions,
  (c, ctx) => (c.subject.type === 'serviceAccount' ? serviceAccountCompletions(c, ctx, c.path) : undefined),
  workloadCompletions,
  asoCompletions,
];

/**
 * Completion where a user of the Flux Azure docs types something: Flux fields and their Azure values, ServiceAccount
 * and Secret references, workload-identity annotations and labels, flux-system patches, Secret credential keys and
 * Azure Service Operator resources. Plain YAML gets nothing (null), so other YAML tooling is not crowded out.
 */
export function provideCompletion(file: ManifestFile, position: Position, ctx: FeatureContext): CompletionList | null {
  const doc = file.docAt(file.lines.offsetAt(position));
  if (!doc) return null;
  const subject = subjectOf(doc);
  if (!subject) return null;
  const cursor = completionCursor(file, doc, subject, position, ctx.index.fluxVersionFor(file.uri));
  for (const provider of PROVIDERS) {
    const items = provider(cursor, ctx);
    if (items && items.length > 0) return { isIncomplete: false, items };
  }
  return null;
}

/** Deployments and other pod owners: the workload-identity label; for Flux controllers also env and args. */
function workloadCompletions(c: CompletionCursor, ctx: FeatureContext): CompletionItem[] | undefined {
  if (c.subject.type !== 'workload') return undefined;
  const name = c.doc.name;
  return podTemplateCompletions(c, ctx, c.path, name && isControllerName(name) ? [name] : [], () => []);
}
