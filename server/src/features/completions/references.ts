import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver-types';
import {
  ANNOTATION_CLIENT_ID,
  ANNOTATION_TENANT_ID,
  REQUIRED_SERVICE_ACCOUNT_ANNOTATIONS,
  secretRefFor,
  secretSuits,
} from '../../catalog';
import type { SecretFact, ServiceAccountFact } from '../../workspace/facts';
import type { CompletionCursor } from '../completionCursor';
import type { FeatureContext } from '../context';
import { serviceAccountMarkdown } from '../markdown';
import { valueItems, type ValueChoice } from './items';

/** The namespace the object under the cursor lands in: as written, else the one kustomize gives it. */
export function objectNamespace(c: CompletionCursor, ctx: FeatureContext): string | undefined {
  return c.doc.namespace ?? ctx.index.inheritedNamespace(c.file.uri);
}

/** How well a ServiceAccount is set up for Flux workload identity: 0 both annotations, 1 client id only, 2 none. */
function readiness(sa: ServiceAccountFact): number {
  const present = REQUIRED_SERVICE_ACCOUNT_ANNOTATIONS.filter((k) => sa.annotations[k]).length;
  return present === REQUIRED_SERVICE_ACCOUNT_ANNOTATIONS.length ? 0 : sa.annotations[ANNOTATION_CLIENT_ID] ? 1 : 2;
}

/** One entry per name: the same ServiceAccount often appears in several overlays. */
function unique<T extends { name: string }>(list: readonly T[], better: (a: T, b: T) => boolean): T[] {
  const byName = new Map<string, T>();
  for (const item of list) {
    const seen = byName.get(item.name);
    if (!seen || better(item, seen)) byName.set(item.name, item);
  }
  return [...byName.values()];
}

/** Tenant ids already used in the workspace (most used first): a repository rarely spans many tenants. */
export function knownTenants(ctx: FeatureContext): string[] {
  const count = new Map<string, number>();
  for (const sa of ctx.index.allServiceAccounts()) {
    const t = sa.annotations[ANNOTATION_TENANT_ID];
    if (t) count.set(t, (count.get(t) ?? 0) + 1);
  }
  return [...count.entries()].sort((a, b) => b[1] - a[1]).map(([t]) => t);
}

/** ServiceAccounts of the workspace in a namespace (all when it is unknown). */
export function serviceAccountsIn(ctx: FeatureContext, namespace: string | undefined): ServiceAccountFact[] {
  return ctx.index.allServiceAccounts().filter((sa) => namespace === undefined || sa.namespace === namespace);
}

/**
 * ServiceAccount names for a `serviceAccountName`: those in the object's namespace, the ones annotated for workload
 * identity first (with the managed identity's client id as detail) when the field means Azure authentication.
 */
export function serviceAccountItems(
  c: CompletionCursor,
  ctx: FeatureContext,
  options: { azure: boolean; namespace?: string },
): CompletionItem[] {
  const namespace = options.namespace ?? objectNamespace(c, ctx);
  const found = unique(serviceAccountsIn(ctx, namespace), (a, b) => readiness(a) < readiness(b));
  found.sort((a, b) => (options.azure ? readiness(a) - readiness(b) : 0) || a.name.localeCompare(b.name));
  const choices: ValueChoice[] = found.map((sa) => {
    const clientId = sa.annotations[ANNOTATION_CLIENT_ID];
    const detail = clientId
      ? `client-id ${clientId}${sa.annotations[ANNOTATION_TENANT_ID] ? '' : ' · no tenant-id'}`
      : namespace === undefined && sa.namespace
        ? `namespace ${sa.namespace}`
        : 'no workload identity';
    return {
      value: sa.name,
      kind: CompletionItemKind.Reference,
      detail,
      documentation: serviceAccountMarkdown(sa, REQUIRED_SERVICE_ACCOUNT_ANNOTATIONS),
    };
  });
  return valueItems(c, choices);
}

/**
 * Secret names for a `secretRef.name`: those in the object's namespace that hold what the kind reads (a registry
 * Secret for ACR, a complete Azure key set for a Bucket, `sops.azure-kv` or another SOPS key for decryption...).
 */
export function secretItems(
  c: CompletionCursor,
  ctx: FeatureContext,
  kind: string,
  refPath: readonly string[],
): CompletionItem[] {
  const namespace = objectNamespace(c, ctx);
  const requirement = secretRefFor(kind, refPath, (p) => c.read(p));
  const fits = (s: SecretFact) => !requirement || secretSuits(requirement, s);
  const found = unique(
    ctx.index.allSecrets().filter((s) => (namespace === undefined || s.namespace === namespace) && fits(s)),
    () => false,
  ).sort((a, b) => a.name.localeCompare(b.name));
  const choices: ValueChoice[] = found.map((s) => {
    const keySet = requirement?.keySets?.find((set) => set.required.every((k) => s.keys.includes(k)))?.label;
    return {
      value: s.name,
      kind: CompletionItemKind.Reference,
      detail: keySet ?? (s.type ? `${s.type}` : `keys: ${s.keys.join(', ')}`),
      documentation: [
        `Secret \`${s.namespace ?? '?'}/${s.name}\`${s.sops ? ' (SOPS-encrypted)' : ''}`,
        `Keys: ${s.keys.map((k) => `\`${k}\``).join(', ') || '(none)'}`,
        requirement ? requirement.description : '',
      ]
        .filter(Boolean)
        .join('\n\n'),
    };
  });
  return valueItems(c, choices);
}
