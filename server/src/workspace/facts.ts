import {
  AZURE_ENDPOINTS,
  azureLoginHost,
  kindByName,
  CONTROLLERS,
  CONTROLLER_NAMES,
  isControllerName,
  type ControllerDef,
  parseFluxVersion,
  FLUX_NAMESPACE,
  type ControllerName,
  apiGroupOf,
  FLUX_API_GROUPS,
  FLUX_INSTANCE_API_VERSION,
  FLUX_INSTANCE_KIND,
  FLUX_INSTANCE_PATCHES_PATH,
  FLUX_INSTANCE_VERSION_PATH,
  KUSTOMIZE_CONFIG_GROUP,
  AKS_FLUX_EXTENSION,
  CHART_CONTROLLER_KEYS,
  CHART_VALUE_PATHS,
  FLUX2_CHART,
  FLUX_INSTANCE_COMPONENTS_PATH,
  FLUX_INSTANCE_DEFAULT_COMPONENTS,
  FLUX_INSTANCE_OLWI_PATH,
  GOTK_HEADER_CHARS,
  GOTK_HEADER_COMPONENTS,
  GOTK_HEADER_VERSION,
  HELM_VALUES_DEFAULT_KEY,
  fluxInstanceVersion,
  isPatchFileEntry,
} from '../catalog';
import type { Chunk, ManifestDoc, ManifestFile, Range } from '../document/manifest';
import { entries, isMap, isScalar, items, nodeAt, textAt, type YamlNode } from '../document/nodes';
import { readControllerPatches, type ControllerPatch } from './controllerPatches';

/** Where a fact was read, for `relatedInformation` and "go to". */
export interface Origin {
  readonly uri: string;
  readonly range: Range;
}

export interface ServiceAccountFact extends Origin {
  readonly name: string;
  readonly namespace: string | undefined;
  readonly annotations: Readonly<Record<string, string>>;
  /** Where a fix inserts annotation lines; `header` > 0 means `annotations:` must be written at that column. */
  readonly annotationsInsert?: {
    readonly at: Range['start'];
    readonly indent: number;
    readonly header: number;
    readonly eol: string;
  };
}

export interface SecretFact extends Origin {
  readonly name: string;
  readonly namespace: string | undefined;
  readonly keys: readonly string[];
  readonly type: string | undefined;
  /** Encrypted with SOPS (has a `sops:` stanza or `ENC[...]` values). */
  readonly sops: boolean;
}

/**
 * An object another object's Azure identity goes through: a GitRepository an ImageUpdateAutomation pushes with, or
 * the kubeConfig ConfigMap of a remote cluster (Kustomization, HelmRelease). Recorded when it names a
 * ServiceAccount (GitRepository) or a provider (ConfigMap).
 */
export interface IdentityRefFact extends Origin {
  readonly kind: 'GitRepository' | 'ConfigMap';
  readonly name: string;
  readonly namespace: string | undefined;
  /** GitRepository `spec.provider`, ConfigMap `data.provider`. */
  readonly provider: string | undefined;
  /** GitRepository `spec.serviceAccountName`, ConfigMap `data.serviceAccountName`. */
  readonly serviceAccountName: string | undefined;
}

/** What a patch (or FluxInstance field) sets on one controller. */
export interface ControllerSetting extends Origin {
  readonly controller: ControllerName;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly podLabels: Readonly<Record<string, string>>;
  /** Set by FluxInstance `spec.cluster.objectLevelWorkloadIdentity: true`. */
  readonly objectLevelWorkloadIdentity?: boolean;
  /**
   * `kustomization` (kustomize patch), `components` (gotk-components Deployment), `fluxinstance` (a FluxInstance
   * field or patch), `helm-values` (values of the flux2 chart's HelmRelease or of a ConfigMap it reads).
   */
  readonly via: 'kustomization' | 'components' | 'fluxinstance' | 'helm-values';
  /** The patch's `target.name` as written (to extend rather than duplicate). */
  readonly targetName?: string;
}

/** Where new `patches` entries go in a kustomization.yaml (for fixes that add one). */
export interface PatchInsertPoint {
  /** Position after the last `patches` entry, or the end of the file when there is no `patches` key. */
  readonly at: Range['start'];
  /** Whether a `patches:` key exists (otherwise the fix writes it). */
  readonly hasPatches: boolean;
  /** Column of the `- ` of existing entries. */
  readonly itemIndent: number;
  readonly eol: string;
}

/** A document that says how Flux is installed: a FluxInstance, a HelmRelease of the flux2 chart, AKS-extension marks. */
export interface InstallFact extends Origin {
  readonly mode: 'flux-operator' | 'helm-chart' | 'aks-extension';
  /** FluxInstance `spec.cluster.objectLevelWorkloadIdentity` as written (undefined: not set, the operator's false). */
  readonly objectLevelWorkloadIdentity?: boolean;
  /** FluxInstance: the controllers it installs (`spec.components`, or the operator's defaults). */
  readonly components?: readonly string[];
  /** FluxInstance: the edit that sets `spec.cluster.objectLevelWorkloadIdentity: true` (for a quick fix). */
  readonly enableGate?: { readonly range: Range; readonly newText: string };
  /** flux2 chart: why its values are not all known (values from a Secret, a `targetPath`). */
  readonly unknownValues?: string;
  /** flux2 chart: the ConfigMaps its `valuesFrom` reads, resolved against the workspace per cluster. */
  readonly valuesFrom?: readonly { readonly name: string; readonly key: string; readonly optional: boolean }[];
  readonly namespace?: string;
}

/** Chart values kept in a ConfigMap (one data key), read as the flux2 chart would. */
export interface ChartValuesFact extends Origin {
  readonly name: string;
  readonly namespace: string | undefined;
  readonly key: string;
  readonly settings: readonly ControllerSetting[];
}

export interface FluxKustomizationFact {
  readonly name: string | undefined;
  /** `spec.path` relative to the source root. */
  readonly path: string | undefined;
}

export interface FileFacts {
  readonly serviceAccounts: readonly ServiceAccountFact[];
  readonly secrets: readonly SecretFact[];
  readonly identityRefs: readonly IdentityRefFact[];
  readonly controllerSettings: readonly ControllerSetting[];
  readonly fluxKustomizations: readonly FluxKustomizationFact[];
  /** Azure hosts (ACR, Azure DevOps, Blob) a source of this file logs in to as written (provider azure or a secretRef). */
  readonly registryLogins: readonly string[];
  /** A kustomize `kustomization.yaml`: its resources and namespace transformer. */
  readonly kustomize:
    | {
        readonly resources: readonly string[];
        /** Patch files it reads (`patches[].path`, `patchesJson6902[].path`, `patchesStrategicMerge` file names). */
        readonly patchFiles: readonly string[];
        readonly namespace: string | undefined;
        readonly insert: PatchInsertPoint;
      }
    | undefined;
  /**
   * Flux version stated by this file (gotk-components header/labels, FluxInstance): `version` is major.minor,
   * `written` the text as the file has it (`v2.7.2`, `2.x`).
   */
  readonly fluxVersion: (Origin & { version: string; written: string }) | undefined;
  readonly hasFluxInstance: boolean;
  /** The generated gotk-components.yaml header (`# Components: …`): the controllers run as generated. */
  readonly bootstrapHeader: (Origin & { readonly components: readonly string[] }) | undefined;
  readonly installs: readonly InstallFact[];
  readonly chartValues: readonly ChartValuesFact[];
}

export function isKustomizeFile(doc: ManifestDoc): boolean {
  return doc.kind === 'Kustomization' && doc.group === KUSTOMIZE_CONFIG_GROUP;
}

const FLUX_INSTANCE_GROUP = apiGroupOf(FLUX_INSTANCE_API_VERSION);

export function isFluxInstance(doc: ManifestDoc): boolean {
  return doc.kind === FLUX_INSTANCE_KIND && doc.group === FLUX_INSTANCE_GROUP;
}

/** Scalars of a map as strings (non-scalars skipped). */
function stringMap(node: Parameters<typeof entries>[0]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of entries(node)) if (isScalar(p.value)) out[p.key.text] = p.value.text;
  return out;
}

/** What one document contributes to its file's facts. */
interface DocFacts {
  readonly serviceAccounts: ServiceAccountFact[];
  readonly secrets: SecretFact[];
  readonly identityRefs: IdentityRefFact[];
  readonly controllerSettings: ControllerSetting[];
  readonly fluxKustomizations: FluxKustomizationFact[];
  registryLogins?: string[];
  kustomize?: FileFacts['kustomize'];
  /** Flux version from a Namespace's labels (used when nothing earlier in the file states one). */
  namespaceVersion?: FileFacts['fluxVersion'];
  /** Flux version of a FluxInstance (wins over earlier statements). */
  instanceVersion?: FileFacts['fluxVersion'];
  hasFluxInstance?: boolean;
  install?: InstallFact;
  chartValues?: ChartValuesFact[];
}

/** A document's facts with what they were computed for: they depend on the chunk text and where it sits. */
export interface CachedDocFacts {
  readonly uri: string;
  readonly line: number;
  readonly eol: string;
  readonly facts: DocFacts;
  /** JSON of the facts without positions, and per category with positions (see `factsChanges`). */
  signature?: string;
  categories?: FactCategories;
}

/** Facts JSON per category: rules that read ServiceAccounts need not rerun when a Secret moves. */
interface FactCategories {
  readonly serviceAccounts: string;
  readonly secrets: string;
  readonly identityRefs: string;
  /** Everything cluster membership, Flux versions, namespaces and controller settings derive from. */
  readonly cluster: string;
}

const docFactsCache = new WeakMap<Chunk, CachedDocFacts>();

/** A file's facts, with the per-document parts they were assembled from (to tell what changed cheaply). */
export interface FactsSummary {
  readonly facts: FileFacts;
  /** The header-stated Flux version, as JSON with its position. */
  readonly header: string;
  readonly entries: readonly CachedDocFacts[];
}

/** Which facts changed between two summaries of a file (`signature`: anything other files' diagnostics read). */
export interface FactsChanges {
  readonly signature: boolean;
  readonly serviceAccounts: boolean;
  readonly secrets: boolean;
  readonly identityRefs: boolean;
  readonly cluster: boolean;
}

const ALL_CHANGED: FactsChanges = {
  signature: true,
  serviceAccounts: true,
  secrets: true,
  identityRefs: true,
  cluster: true,
};
const NONE_CHANGED: FactsChanges = {
  signature: false,
  serviceAccounts: false,
  secrets: false,
  identityRefs: false,
  cluster: false,
};

/** Reads the facts other files depend on. Parses only the documents whose kind matters. */
export function extractFacts(file: ManifestFile): FileFacts {
  return summarizeFacts(file).facts;
}

/**
 * The facts of a file. Per-document results are cached on the document's chunk (for the same file, line and
 * line-break style), so re-reading a large file after an edit costs the edited document only; when nothing changed,
 * `previous` itself is returned.
 */
export function summarizeFacts(file: ManifestFile, previous?: FactsSummary): FactsSummary {
  const headerFact = headerVersion(file);
  const componentsFact = headerComponents(file);
  const header = JSON.stringify([headerFact ?? null, componentsFact ?? null]);
  const entries = file.docs.map(docFactsOf);
  if (
    previous &&
    previous.header === header &&
    previous.entries.length === entries.length &&
    entries.every((e, i) => e === previous.entries[i])
  )
    return previous;
  const serviceAccounts: ServiceAccountFact[] = [];
  const secrets: SecretFact[] = [];
  const identityRefs: IdentityRefFact[] = [];
  const controllerSettings: ControllerSetting[] = [];
  const fluxKustomizations: FluxKustomizationFact[] = [];
  const registryLogins: string[] = [];
  let kustomize: FileFacts['kustomize'];
  let fluxVersion = headerFact;
  let hasFluxInstance = false;
  const installs: InstallFact[] = [];
  const chartValues: ChartValuesFact[] = [];
  for (const { facts: f } of entries) {
    if (f === EMPTY_DOC_FACTS) continue;
    for (const x of f.serviceAccounts) serviceAccounts.push(x);
    for (const x of f.secrets) secrets.push(x);
    for (const x of f.identityRefs) identityRefs.push(x);
    for (const x of f.controllerSettings) controllerSettings.push(x);
    for (const x of f.fluxKustomizations) fluxKustomizations.push(x);
    if (f.registryLogins) registryLogins.push(...f.registryLogins);
    if (f.kustomize) kustomize = f.kustomize;
    if (f.namespaceVersion && !fluxVersion) fluxVersion = f.namespaceVersion;
    if (f.instanceVersion) fluxVersion = f.instanceVersion;
    if (f.hasFluxInstance) hasFluxInstance = true;
    if (f.install) installs.push(f.install);
    if (f.chartValues) chartValues.push(...f.chartValues);
  }
  return {
    facts: {
      serviceAccounts,
      secrets,
      identityRefs,
      controllerSettings,
      fluxKustomizations,
      registryLogins,
      kustomize,
      fluxVersion,
      hasFluxInstance,
      bootstrapHeader: componentsFact,
      installs,
      chartValues,
    },
    header,
    entries,
  };
}

/** What changed from one summary of a file to the next, comparing only the documents that differ. */
export function factsChanges(previous: FactsSummary | undefined, next: FactsSummary): FactsChanges {
  if (previous === next) return NONE_CHANGED;
  if (!previous || previous.entries.length !== next.entries.length) return ALL_CHANGED;
  let signature = false;
  let serviceAccounts = false;
  let secrets = false;
  let identityRefs = false;
  let cluster = false;
  if (previous.header !== next.header) {
    cluster = true;
    signature = previous.facts.fluxVersion?.version !== next.facts.fluxVersion?.version;
  }
  for (let i = 0; i < next.entries.length; i++) {
    const a = previous.entries[i];
    const b = next.entries[i];
    if (a === b || (a.facts === EMPTY_DOC_FACTS && b.facts === EMPTY_DOC_FACTS)) continue;
    const ca = categoriesOf(a);
    const cb = categoriesOf(b);
    serviceAccounts ||= ca.serviceAccounts !== cb.serviceAccounts;
    secrets ||= ca.secrets !== cb.secrets;
    identityRefs ||= ca.identityRefs !== cb.identityRefs;
    cluster ||= ca.cluster !== cb.cluster;
    signature ||= signatureOf(a) !== signatureOf(b);
  }
  return { signature, serviceAccounts, secrets, identityRefs, cluster };
}

function signatureOf(entry: CachedDocFacts): string {
  entry.signature ??= JSON.stringify(entry.facts, (key, value) =>
    key === 'range' || key === 'uri' ? undefined : value,
  );
  return entry.signature;
}

function categoriesOf(entry: CachedDocFacts): FactCategories {
  const f = entry.facts;
  entry.categories ??= {
    serviceAccounts: JSON.stringify(f.serviceAccounts),
    secrets: JSON.stringify(f.secrets),
    identityRefs: JSON.stringify([f.identityRefs, f.registryLogins ?? null]),
    cluster: JSON.stringify([
      f.controllerSettings,
      f.fluxKustomizations,
      f.kustomize ?? null,
      f.namespaceVersion ?? null,
      f.instanceVersion ?? null,
      !!f.hasFluxInstance,
      f.install ?? null,
      f.chartValues ?? null,
    ]),
  };
  return entry.categories;
}

/** `# Components: source-controller,…` at the top of gotk-components.yaml. */
function headerComponents(file: ManifestFile): FileFacts['bootstrapHeader'] {
  const header = GOTK_HEADER_COMPONENTS.exec(file.text.slice(0, GOTK_HEADER_CHARS));
  if (!header) return undefined;
  return {
    components: header[1].split(',').map((c) => c.trim()),
    uri: file.uri,
    range: { start: file.lines.positionAt(header.index), end: file.lines.positionAt(header.index + header[0].length) },
  };
}

/** `# Flux Version: v2.7.0` at the top of gotk-components.yaml. */
function headerVersion(file: ManifestFile): FileFacts['fluxVersion'] {
  const header = GOTK_HEADER_VERSION.exec(file.text.slice(0, GOTK_HEADER_CHARS));
  if (!header) return undefined;
  const version = parseFluxVersion(header[1]);
  if (!version) return undefined;
  const offset = header.index;
  return {
    version,
    written: header[1],
    uri: file.uri,
    range: { start: file.lines.positionAt(offset), end: file.lines.positionAt(offset + header[0].length) },
  };
}

const EMPTY_DOC_FACTS: DocFacts = Object.freeze({
  serviceAccounts: [],
  secrets: [],
  identityRefs: [],
  controllerSettings: [],
  fluxKustomizations: [],
}) as DocFacts;

function docFactsOf(doc: ManifestDoc): CachedDocFacts {
  const uri = doc.file.uri;
  const line = doc.position(0).line;
  const eol = doc.file.eol;
  const cached = docFactsCache.get(doc.chunk);
  if (cached && cached.uri === uri && cached.line === line && cached.eol === eol) return cached;
  const entry: CachedDocFacts = { uri, line, eol, facts: readDocFacts(doc) };
  docFactsCache.set(doc.chunk, entry);
  return entry;
}

/** The facts of one document (`EMPTY_DOC_FACTS` for kinds no other file depends on). */
function readDocFacts(doc: ManifestDoc): DocFacts {
  const kind = doc.kind;
  if (!kind) return EMPTY_DOC_FACTS;
  // An object the AKS GitOps extension annotates, whatever its kind, says that the extension runs Flux here.
  const aks = doc.chunk.text.includes(AKS_FLUX_EXTENSION.annotationPrefix) ? aksMark(doc) : undefined;
  if (!FACT_KINDS.has(kind)) return aks ? { ...emptyDocFacts(), install: aks } : EMPTY_DOC_FACTS;
  const facts = readKindFacts(doc, kind);
  return aks && !facts.install ? { ...(facts === EMPTY_DOC_FACTS ? emptyDocFacts() : facts), install: aks } : facts;
}

function emptyDocFacts(): DocFacts {
  return { serviceAccounts: [], secrets: [], identityRefs: [], controllerSettings: [], fluxKustomizations: [] };
}

/** The AKS-extension annotation of an object (`clusterconfig.azure.com/…` under metadata.annotations). */
function aksMark(doc: ManifestDoc): InstallFact | undefined {
  const pair = entries(doc.get(['metadata', 'annotations'])).find((p) =>
    p.key.text.startsWith(AKS_FLUX_EXTENSION.annotationPrefix),
  );
  return pair ? { mode: 'aks-extension', uri: doc.file.uri, range: doc.range(pair.key) } : undefined;
}

function readKindFacts(doc: ManifestDoc, kind: string): DocFacts {
  // Only the Deployments of Flux controllers carry facts: skip the parse of the others (a name written with escapes
  // in double quotes is the one way to hide a controller name from this check, hence the backslash).
  const text = doc.chunk.text;
  if (kind === 'Deployment' && !text.includes('\\') && !CONTROLLER_NAMES.some((name) => text.includes(name)))
    return EMPTY_DOC_FACTS;
  // GitRepositories and ConfigMaps matter only when they name an identity (ConfigMaps can be large: skip the parse),
  // or, for ConfigMaps, when they hold values of the flux2 chart; HelmReleases only when they install that chart.
  const identityRef = IDENTITY_REF_KINDS[kind as IdentityRefFact['kind']];
  const chartValues = kind === 'ConfigMap' && CHART_KEYS.some((k) => text.includes(k));
  if (identityRef && !text.includes(identityRef.recordedWith) && !chartValues && !AZURE_ENDPOINTS[kind])
    return EMPTY_DOC_FACTS;
  if (kind === 'HelmRelease' && !text.includes(FLUX2_CHART.name)) return EMPTY_DOC_FACTS;
  const out: DocFacts = {
    serviceAccounts: [],
    secrets: [],
    identityRefs: [],
    controllerSettings: [],
    fluxKustomizations: [],
  };
  const origin = (d: ManifestDoc, span = d.root) => ({
    uri: d.file.uri,
    range: span ? d.range(span) : d.range({ start: 0, end: 0 }),
  });
  const login = azureLoginHost(
    kind,
    (path) => doc.text(path),
    (path) => doc.get(path) !== undefined,
    doc.group,
  );
  if (login) out.registryLogins = [login];
  if (kind === 'ServiceAccount' && doc.group === '') {
    const name = doc.name;
    if (name) {
      out.serviceAccounts.push({
        name,
        namespace: doc.namespace,
        annotations: stringMap(doc.get(['metadata', 'annotations'])),
        annotationsInsert: annotationsInsert(doc),
        ...origin(doc, doc.get(['metadata', 'name'])),
      });
    }
    // A ServiceAccount of a Flux controller in flux-system carries controller-level annotations too.
    if (name && isControllerName(name) && (doc.namespace ?? FLUX_NAMESPACE) === FLUX_NAMESPACE) {
      out.controllerSettings.push(
        setting(name, 'components', origin(doc), { annotations: stringMap(doc.get(['metadata', 'annotations'])) }),
      );
    }
  } else if (kind === 'Secret' && doc.group === '') {
    const name = doc.name;
    if (name) {
      const keys = [...entries(doc.get(['data'])), ...entries(doc.get(['stringData']))].map((p) => p.key.text);
      const sops = doc.get(['sops']) !== undefined || /ENC\[[A-Z0-9_]+,data:/.test(doc.chunk.text);
      out.secrets.push({
        name,
        namespace: doc.namespace,
        keys,
        type: doc.text(['type']),
        sops,
        ...origin(doc, doc.get(['metadata', 'name'])),
      });
    }
  } else if (kind === 'Deployment' && doc.group === 'apps') {
    const name = doc.name;
    if (name && isControllerName(name)) {
      const container = items(doc.get(['spec', 'template', 'spec', 'containers']))[0];
      out.controllerSettings.push(
        setting(name, 'components', origin(doc), {
          args: items(nodeAt(container, ['args']))
            .filter(isScalar)
            .map((a) => a.text),
          env: Object.fromEntries(
            items(nodeAt(container, ['env']))
              .map((e) => [textAt(e, ['name']), textAt(e, ['value']) ?? ''] as const)
              .filter((e): e is readonly [string, string] => !!e[0]),
          ),
          podLabels: stringMap(doc.get(['spec', 'template', 'metadata', 'labels'])),
        }),
      );
    }
  } else if (kind === 'Namespace' && doc.group === '') {
    const label = doc.text(['metadata', 'labels', 'app.kubernetes.io/version']);
    const partOf = doc.text(['metadata', 'labels', 'app.kubernetes.io/part-of']);
    const version = label && partOf === 'flux' ? parseFluxVersion(label) : undefined;
    if (version && label)
      out.namespaceVersion = {
        version,
        written: label,
        ...origin(doc, doc.get(['metadata', 'labels', 'app.kubernetes.io/version'])),
      };
  } else if (isKustomizeFile(doc)) {
    out.kustomize = {
      resources: [...items(doc.get(['resources'])), ...items(doc.get(['bases'])), ...items(doc.get(['components']))]
        .filter(isScalar)
        .map((r) => r.text),
      patchFiles: [
        ...[...items(doc.get(['patches'])), ...items(doc.get(['patchesJson6902']))].map((e) => textAt(e, ['path'])),
        ...items(doc.get(['patchesStrategicMerge'])).map((e) =>
          isScalar(e) && isPatchFileEntry(e.text) ? e.text : undefined,
        ),
      ].filter((f): f is string => !!f),
      namespace: doc.text(['namespace']),
      insert: insertPoint(doc),
    };
    for (const patch of readControllerPatches(doc, ['patches']))
      out.controllerSettings.push(...fromPatch(doc, patch, 'kustomization'));
  } else if (isFluxInstance(doc)) {
    out.hasFluxInstance = true;
    const version = doc.text(FLUX_INSTANCE_VERSION_PATH);
    const parsed = version ? fluxInstanceVersion(version) : undefined;
    if (parsed && version)
      out.instanceVersion = { version: parsed, written: version, ...origin(doc, doc.get(FLUX_INSTANCE_VERSION_PATH)) };
    const olwi = doc.scalar(FLUX_INSTANCE_OLWI_PATH);
    out.install = {
      mode: 'flux-operator',
      ...(typeof olwi?.value === 'boolean' ? { objectLevelWorkloadIdentity: olwi.value } : {}),
      components: doc.get(FLUX_INSTANCE_COMPONENTS_PATH)
        ? items(doc.get(FLUX_INSTANCE_COMPONENTS_PATH))
            .filter(isScalar)
            .map((c) => c.text)
        : FLUX_INSTANCE_DEFAULT_COMPONENTS,
      ...enableGateEdit(doc),
      ...origin(doc, doc.get(['metadata', 'name'])),
    };
    if (olwi?.value === true) {
      for (const c of CONTROLLERS as readonly ControllerDef[]) {
        if (c.objectLevelWorkloadIdentityGate)
          out.controllerSettings.push(
            setting(c.name as ControllerName, 'fluxinstance', origin(doc, olwi), {
              objectLevelWorkloadIdentity: true,
            }),
          );
      }
    }
    for (const patch of readControllerPatches(doc, FLUX_INSTANCE_PATCHES_PATH))
      out.controllerSettings.push(...fromPatch(doc, patch, 'fluxinstance'));
  } else if (kind === 'Kustomization' && doc.group === FLUX_API_GROUPS.kustomize) {
    out.fluxKustomizations.push({ name: doc.name, path: doc.text(['spec', 'path']) });
  } else if (kind === 'HelmRelease' && doc.group === FLUX_API_GROUPS.helm) {
    if (isFlux2Chart(doc)) readChartRelease(doc, out);
  } else if (identityRef && doc.group === (kindByName(kind)?.group ?? '')) {
    if (chartValues) out.chartValues = readChartValuesConfigMap(doc);
    if (!text.includes(identityRef.recordedWith)) return out;
    const fields = {
      provider: doc.text([identityRef.section, 'provider']),
      serviceAccountName: doc.text([identityRef.section, 'serviceAccountName']),
    };
    if (doc.name && fields[identityRef.recordedWith])
      out.identityRefs.push({
        kind: kind as IdentityRefFact['kind'],
        name: doc.name,
        namespace: doc.namespace,
        ...fields,
        ...origin(doc, doc.get(['metadata', 'name'])),
      });
  }
  return out;
}

/**
 * Where an identity reference keeps `provider` and `serviceAccountName` (a GitRepository under `spec`, a kubeConfig
 * ConfigMap under `data`), and which of the two makes it worth recording.
 */
const IDENTITY_REF_KINDS: Readonly<
  Record<IdentityRefFact['kind'], { section: string; recordedWith: 'provider' | 'serviceAccountName' }>
> = {
  GitRepository: { section: 'spec', recordedWith: 'serviceAccountName' },
  ConfigMap: { section: 'data', recordedWith: 'provider' },
};

/**
 * The edit that turns `spec.cluster.objectLevelWorkloadIdentity` on: replace a written value, or add the key after
 * the last key of `spec.cluster` (or `cluster:` after the last key of `spec`). None for flow-style maps.
 */
function enableGateEdit(doc: ManifestDoc): Pick<InstallFact, 'enableGate'> {
  const [spec, cluster, key] = FLUX_INSTANCE_OLWI_PATH;
  const written = doc.get(FLUX_INSTANCE_OLWI_PATH);
  if (written) return { enableGate: { range: doc.range(written), newText: 'true' } };
  const eol = doc.file.eol;
  const after = (map: YamlNode | undefined, lines: (indent: string) => string[]) => {
    if (!isMap(map) || map.flow || map.pairs.length === 0) return {};
    const last = map.pairs[map.pairs.length - 1];
    const indent = ' '.repeat(doc.position(map.pairs[0].start).character);
    const at = { line: doc.position(last.end).line + 1, character: 0 };
    return { enableGate: { range: { start: at, end: at }, newText: lines(indent).join(eol) + eol } };
  };
  const clusterMap = doc.get([spec, cluster]);
  if (clusterMap) return after(clusterMap, (i) => [`${i}${key}: true`]);
  return after(doc.get([spec]), (i) => [`${i}${cluster}:`, `${i}  ${key}: true`]);
}

/** The chart's controller keys (a ConfigMap without any of them holds no chart values). */
const CHART_KEYS = Object.values(CHART_CONTROLLER_KEYS);

/** A HelmRelease of the community flux2 chart (by chart name, or a chartRef named after it). */
function isFlux2Chart(doc: ManifestDoc): boolean {
  return (
    doc.text(['spec', 'chart', 'spec', 'chart']) === FLUX2_CHART.name ||
    doc.text(['spec', 'chartRef', 'name']) === FLUX2_CHART.name
  );
}

/** The install fact and controller settings of a flux2 chart HelmRelease: its `values`, and what `valuesFrom` reads. */
function readChartRelease(doc: ManifestDoc, out: DocFacts): void {
  const where = { uri: doc.file.uri, range: doc.range(doc.get(['metadata', 'name']) ?? { start: 0, end: 0 }) };
  let unknownValues: string | undefined;
  const valuesFrom: { name: string; key: string; optional: boolean }[] = [];
  for (const item of items(doc.get(['spec', 'valuesFrom']))) {
    const kind = textAt(item, ['kind']);
    const name = textAt(item, ['name']) ?? '';
    if (kind === 'ConfigMap' && textAt(item, ['targetPath']) === undefined)
      valuesFrom.push({
        name,
        key: textAt(item, ['valuesKey']) ?? HELM_VALUES_DEFAULT_KEY,
        optional: textAt(item, ['optional']) === 'true',
      });
    else
      unknownValues ??= `values from ${kind ?? 'an object'} '${name}'${kind === 'ConfigMap' ? ' at a targetPath' : ''}`;
  }
  out.install = {
    mode: 'helm-chart',
    namespace: doc.namespace,
    ...(unknownValues ? { unknownValues } : {}),
    ...(valuesFrom.length > 0 ? { valuesFrom } : {}),
    ...where,
  };
  out.controllerSettings.push(...chartSettings(doc.get(['spec', 'values']), (node) => doc.range(node), doc.file.uri));
}

/** The chart values in a ConfigMap's data entries (each entry a values file). */
function readChartValuesConfigMap(doc: ManifestDoc): ChartValuesFact[] {
  const name = doc.name;
  if (!name) return [];
  const out: ChartValuesFact[] = [];
  for (const pair of entries(doc.get(['data']))) {
    if (!isScalar(pair.value)) continue;
    const nested = doc.nestedYaml(pair.value);
    if (!nested?.root || nested.hasErrors) continue;
    const toRange = (node: YamlNode) =>
      nested.exact
        ? doc.range({ start: nested.toOuter(node.start), end: nested.toOuter(node.end) })
        : doc.range(pair.key);
    const settings = chartSettings(nested.root, toRange, doc.file.uri);
    out.push({
      name,
      namespace: doc.namespace,
      key: pair.key.text,
      settings,
      uri: doc.file.uri,
      range: doc.range(pair.key),
    });
  }
  return out;
}

/** What the flux2 chart's values set on each controller (a controller with `create: false` is not installed). */
function chartSettings(
  values: YamlNode | undefined,
  toRange: (node: YamlNode) => Range,
  uri: string,
): ControllerSetting[] {
  const out: ControllerSetting[] = [];
  for (const controller of CONTROLLER_NAMES) {
    const key = CHART_CONTROLLER_KEYS[controller];
    const node = nodeAt(values, [key]);
    if (!node) continue;
    if (textAt(node, CHART_VALUE_PATHS.create) === 'false') continue;
    const args = items(nodeAt(node, CHART_VALUE_PATHS.additionalArgs))
      .filter(isScalar)
      .map((a) => a.text);
    const env = Object.fromEntries(
      items(nodeAt(node, CHART_VALUE_PATHS.extraEnv))
        .map((e) => [textAt(e, ['name']), textAt(e, ['value']) ?? ''] as const)
        .filter((e): e is readonly [string, string] => !!e[0]),
    );
    const annotations = stringMap(nodeAt(node, CHART_VALUE_PATHS.serviceAccountAnnotations));
    const podLabels = stringMap(nodeAt(node, CHART_VALUE_PATHS.labels));
    const span = nodeAt(values, [key]) ?? node;
    const keyPair = isMap(values) ? values.pairs.find((p) => p.key.text === key) : undefined;
    out.push(
      setting(
        controller,
        'helm-values',
        { uri, range: toRange(keyPair?.key ?? span) },
        { args, env, annotations, podLabels },
      ),
    );
  }
  return out;
}

/** Kinds whose documents carry facts (everything else is skipped without a parse). */
const FACT_KINDS = new Set([
  'HelmRelease',
  'ServiceAccount',
  'Secret',
  'Deployment',
  'Namespace',
  'Kustomization',
  'FluxInstance',
  ...Object.keys(IDENTITY_REF_KINDS),
  ...Object.keys(AZURE_ENDPOINTS),
]);

function annotationsInsert(doc: ManifestDoc): ServiceAccountFact['annotationsInsert'] {
  const eol = doc.file.eol;
  const annotations = doc.get(['metadata', 'annotations']);
  const pairs = entries(annotations);
  if (pairs.length > 0 && annotations?.type === 'map' && !annotations.flow) {
    const last = pairs[pairs.length - 1];
    return {
      at: { line: doc.position(last.end).line + 1, character: 0 },
      indent: doc.position(pairs[0].start).character,
      header: 0,
      eol,
    };
  }
  if (annotations !== undefined) return undefined; // empty or flow-style map: leave it to the user
  const name = doc.get(['metadata', 'name']);
  if (!name) return undefined;
  const indent = /^\s*/.exec(doc.file.lines.lineText(doc.position(name.start).line))![0].length;
  if (indent === 0) return undefined; // flow-style metadata
  return { at: { line: doc.position(name.end).line + 1, character: 0 }, indent: indent + 2, header: indent, eol };
}

function insertPoint(doc: ManifestDoc): PatchInsertPoint {
  const patches = doc.get(['patches']);
  const eol = doc.file.eol;
  const list = items(patches);
  if (list.length > 0) {
    const last = list[list.length - 1];
    const lastLine = doc.position(last.end).line;
    const first = doc.position(list[0].start);
    return {
      at: { line: lastLine + 1, character: 0 },
      hasPatches: true,
      itemIndent: Math.max(0, first.character - 2),
      eol,
    };
  }
  const end = doc.position(doc.chunk.text.length);
  return { at: end, hasPatches: patches !== undefined, itemIndent: 2, eol };
}

function setting(
  controller: ControllerName,
  via: ControllerSetting['via'],
  where: Origin,
  parts: Partial<
    Pick<ControllerSetting, 'args' | 'env' | 'annotations' | 'podLabels' | 'objectLevelWorkloadIdentity' | 'targetName'>
  >,
): ControllerSetting {
  return { controller, via, args: [], env: {}, annotations: {}, podLabels: {}, ...parts, ...where };
}

function fromPatch(doc: ManifestDoc, patch: ControllerPatch, via: ControllerSetting['via']): ControllerSetting[] {
  const kind = patch.targetKind;
  const where = {
    uri: doc.file.uri,
    range: doc.range(patch.targetName ?? patch.entry),
    ...(patch.targetName ? { targetName: patch.targetName.text } : {}),
  };
  const text = (v: YamlNode | undefined) => (isScalar(v) ? v.text : '');
  return patch.controllers.map((controller) =>
    setting(controller, via, where, {
      args: kind === 'ServiceAccount' ? [] : patch.args.map((a) => a.text),
      env: Object.fromEntries(patch.env.map((e) => [e.name, e.value?.text ?? ''])),
      annotations:
        kind === 'ServiceAccount' || kind === undefined
          ? Object.fromEntries(patch.annotations.map((a) => [a.key, text(a.value)]))
          : {},
      podLabels: Object.fromEntries(patch.podLabels.map((l) => [l.key, text(l.value)])),
    }),
  );
}

/** A string that changes when facts change in a way other files' diagnostics depend on (positions excluded). */
export function factsSignature(facts: FileFacts): string {
  return JSON.stringify(facts, (key, value) => (key === 'range' || key === 'uri' ? undefined : value));
}

/**
 * Reads a file's per-document facts one document at a time, yielding between them, so that a large file can be
 * indexed in slices; `summarizeFacts` then finds them cached.
 */
export function* factsSteps(file: ManifestFile): Generator<void, void, void> {
  for (const doc of file.docs) {
    docFactsOf(doc);
    yield;
  }
}
