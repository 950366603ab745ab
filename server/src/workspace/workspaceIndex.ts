import * as nodePath from 'node:path';
import { dirname, join, relative, resolve, sep, basename } from 'node:path';
import { variablesFingerprint } from '../render/flux';
import { renderCluster, sourceKey, type Applied, type FleetRendering } from '../render/fleet';
import { BuildMemo, type RenderHost } from '../render/kustomize';
import type { RObject } from '../render/object';
import { sameItems, sameProblems, viewsOf, type AccountsView, type ProblemsView } from '../render/views';
import { parseManifest, type Chunk, type ManifestFile, type ParseBudget } from '../document/manifest';
import { injectedFault } from '../testFaults';
import {
  BOOTSTRAP_DIR,
  BOOTSTRAP_KUSTOMIZATION_NAME,
  CLUSTERS_DIR,
  GOTK_COMPONENTS_FILE,
  GOTK_SYNC_FILE,
  isKustomizationFileName,
  KUSTOMIZATION_FILE_NAMES,
  parseFluxVersion,
  REPO_CONFIG_FILE,
  type ControllerName,
} from '../catalog';
import { readRepoConfig, type ClusterConfig, type RepoConfig } from './repoConfig';
import { aksClusterDir, installOf, isGotkFile, listsGotkFile, type FluxInstall, type InstallEvidence } from './install';
import {
  factsChanges,
  summarizeFacts,
  type ControllerSetting,
  type FactsSummary,
  type FileFacts,
  type IdentityRefFact,
  type SecretFact,
  type ServiceAccountFact,
} from './facts';
import { DISK_FILES, fluxPathDir, pathToUri, uriToPath, type ReadResult, type WorkspaceFiles } from './files';
import { yieldToMessages } from '../messages';

interface IndexedFile {
  readonly uri: string;
  readonly path: string | undefined;
  /** A fingerprint of the text the facts were read from, and its length. */
  readonly text: string;
  readonly textLength: number;
  readonly facts: FileFacts;
  readonly summary: FactsSummary;
  /** The model read from disk, for large files: opening the file then reuses its split and parse. */
  readonly parsed?: ManifestFile;
}

/**
 * Counters that move whenever facts of a category change anywhere (positions included). Diagnostics cached per
 * document stay valid while the counters their rules read are unchanged.
 */
export interface FactGenerations {
  serviceAccounts: number;
  secrets: number;
  identityRefs: number;
  cluster: number;
  /** Moves when a file a cluster rendering read changes, or files appear or go. */
  rendered: number;
  /** Move only when that view of some cluster's rendering changed (see `render/views.ts`). */
  renderedAccounts: number;
  renderedControllers: number;
  renderProblems: number;
  renderedLogins: number;
}

/** Every fact generation at its start. */
export function initialGenerations(): FactGenerations {
  return {
    serviceAccounts: 0,
    secrets: 0,
    identityRefs: 0,
    cluster: 0,
    rendered: 0,
    renderedAccounts: 0,
    renderedControllers: 0,
    renderProblems: 0,
    renderedLogins: 0,
  };
}

/** Two 32-bit lanes of a cyrb53-style hash, mixed with `c`. */
function mix(h: [number, number], c: number): void {
  h[0] = Math.imul(h[0] ^ c, 2654435761);
  h[1] = Math.imul(h[1] ^ c, 1597334677);
}

function seal(h: [number, number], length: number): string {
  const h1 = Math.imul(h[0] ^ (h[0] >>> 16), 2246822507) ^ Math.imul(h[1] ^ (h[1] >>> 13), 3266489909);
  const h2 = Math.imul(h[1] ^ (h[1] >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return `${length}:${(4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36)}`;
}

/** Each YAML document's hash, once per chunk: an edit's next model reuses every unchanged chunk, and so its hash. */
const chunkHashes = new WeakMap<Chunk, number>();

/** 53 bits of a chunk's hash (one number: 21 bits of one lane above 32 of the other). */
function chunkHash(chunk: Chunk): number {
  let hash = chunkHashes.get(chunk);
  if (hash !== undefined) return hash;
  const h: [number, number] = [0xdeadbeef, 0x41c6ce57];
  const text = chunk.text;
  for (let i = 0; i < text.length; i++) mix(h, text.charCodeAt(i));
  hash = 4294967296 * (2097151 & h[1]) + (h[0] >>> 0);
  chunkHashes.set(chunk, hash);
  return hash;
}

/** Fingerprints of models, computed once per model (a model is immutable). */
const fingerprints = new WeakMap<ManifestFile, string>();

/**
 * A 53-bit fingerprint of a model's text with its length: equal fingerprints mean equal texts, for all practical
 * purposes. Made from its documents' hashes in order (the documents tile the text), so an edit of a 50k-line file
 * hashes only the document it changed.
 */
function fingerprintOf(file: ManifestFile): string {
  let fingerprint = fingerprints.get(file);
  if (fingerprint === undefined) {
    const h: [number, number] = [0x9e3779b9, 0x85ebca6b];
    for (const d of file.docs) {
      const hash = chunkHash(d.chunk);
      mix(h, hash % 4294967296);
      mix(h, Math.floor(hash / 4294967296));
      mix(h, d.chunk.text.length);
    }
    fingerprints.set(file, (fingerprint = seal(h, file.text.length)));
  }
  return fingerprint;
}

/** Files at least this long keep their disk model in the index, so that opening them does not parse them again. */
const KEEP_PARSED_CHARS = 64 * 1024;
/** Longest stretch of scanning before pending messages are handled. */
const SCAN_SLICE_MS = 10;
/** At most this many kustomize roots stand in for clusters (a repository of thousands of unrelated overlays). */
const MAX_KUSTOMIZE_ROOTS = 2000;

/** A cluster directory (the parent of a `flux-system` folder, one holding a FluxInstance or flux2 HelmRelease, one configured in `.flux-azure.yaml`). */
export interface Cluster {
  readonly dir: string;
  /** Short name for messages (`clusters/production`). */
  readonly label: string;
  /** major.minor, the text where it was found (`v2.7.2`, `2.x`), and that place. */
  readonly fluxVersion:
    { version: string; written: string; uri: string; range: ControllerSetting['range'] } | undefined;
  readonly settings: ReadonlyMap<ControllerName, readonly ControllerSetting[]>;
  /** Files that Flux applies to this cluster, following Kustomization paths and kustomize resources. */
  readonly files: ReadonlySet<string>;
  readonly install: FluxInstall;
  /** The AKS cluster's resource id, from `.flux-azure.yaml`. */
  readonly aksClusterId?: string;
}

/**
 * What the workspace knows beyond one file: ServiceAccounts, Secrets, controller patches, Flux versions and which
 * cluster each file belongs to. Files on disk are read once at start and on change; open documents replace their
 * disk copy. Derived data (clusters) is recomputed only when a fact it depends on changes.
 */
export class WorkspaceIndex {
  private roots: string[] = [];
  private readonly files = new Map<string, IndexedFile>();
  private clustersCache: Cluster[] | undefined;
  /** Kustomize roots (see `kustomizeRoots`) with the files each reaches. */
  private rootsCache: { cluster: Cluster; files: Set<string> }[] | undefined;
  /** ServiceAccount / Secret facts by name, in file order (rebuilt when a file's facts of that kind change). */
  private byName:
    | {
        serviceAccounts: Map<string, ServiceAccountFact[]>;
        secrets: Map<string, SecretFact[]>;
        identityRefs: Map<string, IdentityRefFact[]>;
      }
    | undefined;
  private versionOverride: string | undefined;
  /** `.flux-azure.yaml` of each workspace folder that has one. */
  private readonly configs = new Map<string, RepoConfig>();
  private readonly gens: FactGenerations = initialGenerations();

  /**
   * The fact generations now. Renderings whose inputs changed are rendered again first, so that the views' and the
   * documents' rendering stamps say whether what they show changed.
   */
  get generations(): Readonly<FactGenerations> {
    if (this.renderStale) this.refreshRenderings();
    return this.gens;
  }
  /** Renderings by cluster directory, with the fingerprints of the files they read. */
  private readonly renderCache = new Map<
    string,
    { rendering: FleetRendering; inputs: Map<string, string>; generation: number; cluster: Cluster }
  >();
  /** Per document (`uri#index`): moves when its objects as some cluster applies them change. */
  private readonly docStamps = new Map<string, number>();
  /** The stamp of every document not changed since renderings were last dropped. */
  private stampBase = 0;
  private stampCounter = 0;
  /** Some file a cached rendering read has changed since (see `refreshRenderings`). */
  private renderStale = false;
  /** Render inputs changed, with the `rendered` generation each change made (trimmed as renderings catch up). */
  private renderChanges: { generation: number; path: string }[] = [];
  private dirListing: Map<string, { files: string[]; dirs: Set<string> }> | undefined;
  /** Moves with `dirListing` (files appeared or went): builds that listed directories are stale. */
  private listingGeneration = 0;
  /** Directory builds shared by every cluster's rendering and kept across renderings. */
  private readonly buildMemo = new BuildMemo();
  private scanning: Promise<void> | undefined;
  /** YAML files read and found by the scan that runs; undefined once one has ended and none runs. */
  private scanned: { read: number; found: number } | undefined = { read: 0, found: 0 };

  /**
   * @param keepEveryModel keep the model of every file read from disk, not only large ones: for a one-shot analysis
   *   of all files (the CLI), which then parses each file once (see `diskModel`).
   */
  constructor(
    private readonly log: (message: string) => void = () => {},
    private readonly keepEveryModel = false,
    /** Where parses of disk copies are accounted (the service's); large files keep theirs for the editor. */
    private readonly budget?: ParseBudget,
    /** Where files are found and read. */
    private readonly source: WorkspaceFiles = DISK_FILES,
    /** Where failures that are bugs (a rendering that throws) are reported. */
    private readonly logError: (message: string) => void = log,
  ) {}

  get fileCount(): number {
    return this.files.size;
  }

  setRoots(roots: string[]): void {
    this.roots = roots.map((r) => resolve(r));
  }

  updateRoots(added: string[], removed: string[]): void {
    const gone = new Set(removed.map((r) => resolve(r)));
    this.roots = [...this.roots.filter((r) => !gone.has(r)), ...added.map((r) => resolve(r))];
    for (const [uri, file] of this.files) {
      if (file.path && [...gone].some((r) => file.path!.startsWith(r + sep))) {
        this.files.delete(uri);
        this.budget?.keepDiskCopy(uri, undefined);
      }
    }
    this.invalidateAll();
  }

  setVersionOverride(text: string | undefined): void {
    const next = text ? parseFluxVersion(text) : undefined;
    if (next !== this.versionOverride) this.gens.cluster++;
    this.versionOverride = next;
  }

  private invalidateAll(): void {
    this.clustersCache = undefined;
    this.rootsCache = undefined;
    this.byName = undefined;
    this.gens.serviceAccounts++;
    this.gens.secrets++;
    this.gens.identityRefs++;
    this.gens.cluster++;
    this.membershipChanged();
  }

  private membershipChanged(): void {
    this.dirListing = undefined;
    this.listingGeneration++;
    this.renderCache.clear();
    this.gens.rendered++;
    this.gens.renderedAccounts++;
    this.gens.renderedControllers++;
    this.gens.renderProblems++;
    this.gens.renderedLogins++;
    this.docStamps.clear();
    this.stampBase = ++this.stampCounter;
    this.renderStale = false;
    this.renderChanges = [];
  }

  /** Reads every YAML file of the workspace folders (concurrently, a few at a time). */
  scan(): Promise<void> {
    this.scanning ??= this.doScan().finally(() => (this.scanning = undefined));
    return this.scanning;
  }

  /**
   * While a scan runs (or before the first): the YAML files it has read of those found so far; undefined when the
   * index is complete.
   */
  get scanProgress(): { read: number; found: number } | undefined {
    return this.scanned && { ...this.scanned };
  }

  private async doScan(): Promise<void> {
    const progress = { read: 0, found: 0 };
    this.scanned = progress;
    try {
      // Folders added or removed while the scan waits (`updateRoots` replaces the array): the scan starts over on the
      // new folders (files already indexed are skipped), so none of a removed folder is indexed and an added one is.
      for (let roots = this.roots, done = false; !done; roots = this.roots) {
        done = await this.scanRoots(roots, progress);
      }
    } finally {
      this.scanned = undefined;
    }
    this.clustersCache = undefined;
    this.rootsCache = undefined;
    this.membershipChanged();
  }

  /** Scans `roots` (listing every folder before reading any, for the progress); false when the folders changed. */
  private async scanRoots(roots: readonly string[], progress: { read: number; found: number }): Promise<boolean> {
    const found: string[][] = [];
    progress.read = 0;
    progress.found = 0;
    for (const root of roots) {
      const paths = await this.source.find(root);
      if (this.roots !== roots) return false;
      found.push(paths);
      progress.found += paths.length;
    }
    for (const paths of found) {
      // Small synchronous reads in slices: far cheaper than a promise per file, and requests still get answered.
      let sliceStart = performance.now();
      for (const path of paths) {
        progress.read++;
        const uri = pathToUri(path);
        if (this.files.get(uri)?.path !== undefined) continue;
        const open = this.openModel?.(uri);
        if (open) this.put(uri, open);
        else this.readFromDisk(uri, path, this.source.readSync(path));
        if (performance.now() - sliceStart >= SCAN_SLICE_MS) {
          await yieldToMessages();
          if (this.roots !== roots) return false;
          sliceStart = performance.now();
        }
      }
    }
    return true;
  }

  /**
   * Where the scan takes the text of files open in the editor: their model (already parsed for the editor)
   * rather than the disk copy.
   */
  useOpenDocuments(model: (uri: string) => ManifestFile | undefined): void {
    this.openModel = model;
  }

  private openModel: ((uri: string) => ManifestFile | undefined) | undefined;

  /** The model of a file as the scan read it from disk, if it is kept (see the constructor). */
  diskModel(uri: string): ManifestFile | undefined {
    return this.files.get(uri)?.parsed;
  }

  /** The model of a file as last read from disk, if it is still in memory and its text is `text`. */
  parsedFromDisk(uri: string, text: string): ManifestFile | undefined {
    const file = this.files.get(uri)?.parsed;
    return file?.text === text ? file : undefined;
  }

  /** Re-reads a file from disk. Returns whether anything other files depend on changed. */
  async refreshFromDisk(uri: string): Promise<boolean> {
    const path = uriToPath(uri);
    if (!path) return false;
    return this.readFromDisk(uri, path, await this.source.read(path));
  }

  private readFromDisk(uri: string, path: string, read: ReadResult | undefined): boolean {
    if (!read) return this.remove(uri);
    if ('skipped' in read) {
      this.log(`not indexed: ${path} (${read.skipped})`);
      return this.remove(uri);
    }
    const file = parseManifest(uri, 0, read.text, undefined, undefined, this.budget);
    // A large file keeps its parses (those made for its facts now), for the editor that opens it next.
    this.budget?.keepDiskCopy(uri, read.text.length >= KEEP_PARSED_CHARS ? file : undefined);
    return this.put(uri, file, true);
  }

  /** Indexes an open document's current text. Returns whether dependent diagnostics must be recomputed. */
  updateFromOpen(file: ManifestFile): boolean {
    if (this.indexedAs(file)) return false;
    return this.put(file.uri, file);
  }

  /** Whether the index holds the facts of exactly this text (a file opened as it is on disk): nothing to re-read. */
  indexedAs(file: ManifestFile): boolean {
    const indexed = this.files.get(file.uri);
    return indexed?.textLength === file.text.length && indexed.text === fingerprintOf(file);
  }

  remove(uri: string): boolean {
    this.budget?.keepDiskCopy(uri, undefined);
    const existed = this.files.delete(uri);
    const path = uriToPath(uri);
    if (path && this.isRepoConfigFile(uri)) this.configs.delete(dirname(path));
    if (existed && path) this.buildMemo.forget([path]);
    if (existed) this.membershipChanged();
    if (existed) this.invalidateAll();
    return existed;
  }

  private put(uri: string, file: ManifestFile, fromDisk = false): boolean {
    const previous = this.files.get(uri);
    let summary: FactsSummary;
    const fingerprint = fingerprintOf(file);
    try {
      summary = summarizeFacts(file, previous?.summary);
    } catch (err) {
      this.log(`could not index ${uri}: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
    this.files.set(uri, {
      uri,
      path: uriToPath(uri),
      text: fingerprint,
      textLength: file.text.length,
      facts: summary.facts,
      summary,
      ...(fromDisk
        ? this.keepEveryModel || file.text.length >= KEEP_PARSED_CHARS
          ? { parsed: file }
          : {}
        : previous?.parsed
          ? { parsed: previous.parsed }
          : {}),
    });
    if (!previous) this.membershipChanged();
    else if (previous.text !== fingerprint && this.isRenderInput(uri)) {
      this.gens.rendered++;
      const path = uriToPath(uri);
      if (path) this.renderChanges.push({ generation: this.gens.rendered, path });
      this.renderedChanged = true;
      this.renderStale = true;
    }
    const changed = factsChanges(previous?.summary, summary);
    if (changed.serviceAccounts) {
      this.gens.serviceAccounts++;
      this.byName = undefined;
    }
    if (changed.secrets) {
      this.gens.secrets++;
      this.byName = undefined;
    }
    if (changed.identityRefs) {
      this.gens.identityRefs++;
      this.byName = undefined;
    }
    if (changed.cluster) {
      this.gens.cluster++;
      this.clustersCache = undefined;
      this.rootsCache = undefined;
    }
    const rendered = this.renderedChanged;
    this.renderedChanged = false;
    const config = this.isRepoConfigFile(uri) && this.readConfig(uri, file);
    return changed.signature || rendered || config;
  }

  /** Whether a file is the `.flux-azure.yaml` of a workspace folder (others of that name are not read). */
  isRepoConfigFile(uri: string): boolean {
    const path = uriToPath(uri);
    return !!path && basename(path) === REPO_CONFIG_FILE && this.roots.includes(dirname(path));
  }

  /** Reads a folder's `.flux-azure.yaml`; returns whether what it states changed (clusters are then re-derived). */
  private readConfig(uri: string, file: ManifestFile): boolean {
    const root = dirname(uriToPath(uri)!);
    let config: RepoConfig;
    try {
      config = readRepoConfig(file);
    } catch (err) {
      this.log(`could not read ${uri}: ${err instanceof Error ? err.message : String(err)}`);
      config = { clusters: [], problems: [] };
    }
    const key = (c: RepoConfig | undefined) =>
      JSON.stringify(c?.clusters.map((e) => [e.path, e.install, e.fluxVersion, e.aksClusterId]) ?? null);
    const changed = key(this.configs.get(root)) !== key(config);
    this.configs.set(root, config);
    if (changed) {
      this.gens.cluster++;
      this.clustersCache = undefined;
      this.membershipChanged();
    }
    return changed;
  }

  private renderedChanged = false;

  private isRenderInput(uri: string): boolean {
    const path = uriToPath(uri);
    if (!path) return false;
    for (const { inputs } of this.renderCache.values()) if (inputs.has(path)) return true;
    return false;
  }

  // ---- rendering -----------------------------------------------------------------------------------------

  private listing(): Map<string, { files: string[]; dirs: Set<string> }> {
    if (this.dirListing) return this.dirListing;
    const out = new Map<string, { files: string[]; dirs: Set<string> }>();
    const entry = (dir: string) => {
      let e = out.get(dir);
      if (!e) out.set(dir, (e = { files: [], dirs: new Set() }));
      return e;
    };
    for (const file of this.files.values()) {
      if (!file.path) continue;
      let dir = dirname(file.path);
      entry(dir).files.push(file.path);
      // Register the directory in each parent up to the workspace root.
      for (;;) {
        const parent = dirname(dir);
        if (parent === dir || !this.roots.some((r) => dir.startsWith(r + sep))) break;
        const p = entry(parent);
        if (p.dirs.has(dir)) break;
        p.dirs.add(dir);
        dir = parent;
      }
    }
    for (const e of out.values()) e.files.sort();
    this.dirListing = out;
    return out;
  }

  /** What rendering reads: the index's files (open documents first, then disk), never the file system directly. */
  private readonly renderHost: RenderHost = {
    path: nodePath,
    model: (path) => {
      const uri = pathToUri(path);
      const indexed = this.files.get(uri);
      if (!indexed) return undefined;
      const open = this.openModel?.(uri);
      if (open) return open;
      if (indexed.parsed) return indexed.parsed;
      const read = this.source.readSync(path);
      if (!read || 'skipped' in read) return undefined;
      return parseManifest(uri, 0, read.text);
    },
    memo: this.buildMemo,
    stamp: (path) => this.files.get(pathToUri(path))?.text,
    listingStamp: () => this.listingGeneration,
    filesIn: (dir) => this.listing().get(dir)?.files ?? [],
    dirsIn: (dir) => [...(this.listing().get(dir)?.dirs ?? [])].sort(),
    isDir: (path) => this.listing().has(path),
  };

  /** What Flux applies to a cluster, rendered once per change of the files it reads. */
  renderingOf(cluster: Cluster): FleetRendering {
    const cached = this.renderCache.get(cluster.dir);
    if (cached && cached.generation === this.gens.rendered) return cached.rendering;
    if (cached && !this.changedSince(cached.generation, cached.inputs)) {
      cached.generation = this.gens.rendered;
      return cached.rendering;
    }
    const root = this.rootOf(cluster.dir + sep) ?? dirname(cluster.dir);
    let rendering: FleetRendering;
    this.renders++;
    try {
      injectedFault('render');
      rendering = renderCluster(
        cluster.dir,
        root,
        this.renderHost,
        cluster.fluxVersion?.version ?? this.versionOverride,
      );
    } catch (err) {
      this.logError(`could not render ${cluster.label}: ${err instanceof Error ? err.message : String(err)}`);
      rendering = { applied: [], unknowns: [], problems: [], inputs: new Set(), bySource: new Map() };
    }
    const inputs = new Map<string, string>();
    for (const path of rendering.inputs) inputs.set(path, this.files.get(pathToUri(path))?.text ?? '');
    this.renderCache.set(cluster.dir, { rendering, inputs, generation: this.gens.rendered, cluster });
    if (cached) this.noteChanges(cached.rendering, rendering);
    return rendering;
  }

  /** Renders again every cached rendering a changed file fed, noting what changed in it. */
  private refreshRenderings(): void {
    this.renderStale = false;
    for (const { cluster } of [...this.renderCache.values()]) this.renderingOf(cluster);
    // Every cached rendering is current now: the changes so far are accounted for.
    this.renderChanges = [];
  }

  /** Whether a file among `inputs` changed (to another text) after generation `since`. */
  private changedSince(since: number, inputs: ReadonlyMap<string, string>): boolean {
    for (const change of this.renderChanges) {
      if (change.generation <= since || !inputs.has(change.path)) continue;
      if (this.files.get(pathToUri(change.path))?.text !== inputs.get(change.path)) return true;
    }
    return false;
  }

  /**
   * After a re-rendering: moves the stamp of each document whose objects changed, and the generation of each view
   * that changed. Unchanged objects are the same objects (the build memo shares them), so this compares identities.
   */
  private noteChanges(before: FleetRendering, after: FleetRendering): void {
    for (const [key, list] of after.bySource)
      if (!sameApplications(before.bySource.get(key), list)) this.docStamps.set(key, ++this.stampCounter);
    for (const key of before.bySource.keys())
      if (!after.bySource.has(key)) this.docStamps.set(key, ++this.stampCounter);
    const va = viewsOf(before);
    const vb = viewsOf(after);
    const a = va.digest;
    const b = vb.digest;
    if (!sameItems(a.accounts, b.accounts)) this.gens.renderedAccounts++;
    if (!sameItems(a.deployments, b.deployments)) this.gens.renderedControllers++;
    if (!sameProblems(va, vb)) this.gens.renderProblems++;
    if (a.loginHosts !== b.loginHosts) this.gens.renderedLogins++;
  }

  /**
   * A number that moves whenever the objects of a document, as the clusters that apply it have them, change (what
   * `renderingsOf` answers). Findings that read only those stay valid while it stays.
   */
  renderStampOf(uri: string, doc: number): number {
    this.holdersOf(uri, doc); // renders what was never rendered (as `renderingsOf` would)
    return this.docStamps.get(sourceKey(uri, doc)) ?? this.stampBase;
  }

  /** Renderings made so far (moves the memo of `holdersOf` along). */
  private renders = 0;
  private holders: { clusters: unknown; roots: unknown; renders: number; byKey: Map<string, Cluster[]> } = {
    clusters: undefined,
    roots: undefined,
    renders: -1,
    byKey: new Map(),
  };

  /**
   * The clusters (or kustomize roots standing in for them) whose rendering holds a document, remembered until the
   * clusters, the roots or some rendering change: every rule asks for each document it judges.
   */
  private holdersOf(uri: string, doc: number): Cluster[] {
    if (this.renderStale) this.refreshRenderings();
    const key = sourceKey(uri, doc);
    const memo = this.holders;
    if (memo.clusters === this.clustersCache && memo.roots === this.rootsCache && memo.renders === this.renders) {
      const known = memo.byKey.get(key);
      if (known) return known;
    }
    let found = this.clustersOf(uri).filter((c) => this.renderingOf(c).bySource.has(key));
    if (found.length === 0) {
      const path = this.orphanPath(uri);
      if (path)
        found = this.kustomizeRoots()
          .filter(({ files }) => files.has(path))
          .map(({ cluster }) => cluster)
          .filter((c) => this.renderingOf(c).bySource.has(key));
    }
    // Looking may have rendered: the memo holds answers of the state after it.
    if (memo.clusters !== this.clustersCache || memo.roots !== this.rootsCache || memo.renders !== this.renders)
      this.holders = { clusters: this.clustersCache, roots: this.rootsCache, renders: this.renders, byKey: new Map() };
    this.holders.byKey.set(key, found);
    return found;
  }

  /** The ServiceAccounts, namespaces, FluxInstances and HelmReleases a cluster's rendering holds. */
  renderedAccounts(cluster: Cluster): AccountsView {
    return viewsOf(this.renderingOf(cluster)).accounts;
  }

  /** The Deployments of a cluster's rendering (the controllers as Flux applies them). */
  renderedDeployments(cluster: Cluster): readonly RObject[] {
    return viewsOf(this.renderingOf(cluster)).deployments;
  }

  /** A cluster's rendering problems, whether anything in it is unknown, and the places that changed objects. */
  renderProblemsOf(cluster: Cluster): ProblemsView {
    return viewsOf(this.renderingOf(cluster)).problems;
  }

  /**
   * The renderings of one document: each cluster and Kustomization that applies it, with the object as applied. A
   * document no cluster of the repository applies (Flux installed outside it: the AKS extension, Terraform, a Helm
   * chart) is rendered by the kustomize roots that include it, as `kustomize build` of those directories would.
   */
  renderingsOf(uri: string, doc: number): { cluster: Cluster; object: RObject; applied: Applied }[] {
    const out: { cluster: Cluster; object: RObject; applied: Applied }[] = [];
    const key = sourceKey(uri, doc);
    for (const cluster of this.holdersOf(uri, doc))
      for (const r of this.renderingOf(cluster).bySource.get(key) ?? []) out.push({ cluster, ...r });
    return out;
  }

  /**
   * The path of a file whose documents the kustomize roots render (see `renderingsOf`): not one a cluster of its
   * folders reads already (a patch, a component, a kustomization file: read by the cluster, applied by none).
   */
  private orphanPath(uri: string): string | undefined {
    const path = uriToPath(uri);
    if (!path || this.clustersOf(uri).some((c) => this.renderingOf(c).inputs.has(path))) return undefined;
    return path;
  }

  /**
   * Whether the rendering of some cluster of the repository reads a file (as a resource, a patch, a component). False
   * for files only the kustomize roots standing in for clusters reach: in a repository whose clusters are known, an
   * overlay none of them includes is applied by none.
   */
  readByCluster(uri: string): boolean {
    const path = uriToPath(uri);
    if (!path) return false;
    // The clusters the file's folders belong to first: they are rendered already, and usually read it.
    const near = this.clustersOf(uri);
    if (near.some((c) => this.renderingOf(c).inputs.has(path))) return true;
    return this.clusters().some((c) => !near.includes(c) && this.renderingOf(c).inputs.has(path));
  }

  /**
   * Directories with a kustomization file that no other kustomization file includes: where `kustomize build` starts
   * when nothing in the repository says which directory a cluster applies. They stand in for clusters (no Flux
   * version, no controller settings) only in `renderingsOf`, for documents no cluster applies.
   */
  private kustomizeRoots(): { cluster: Cluster; files: Set<string> }[] {
    if (this.rootsCache) return this.rootsCache;
    const byDir = this.filesByDir();
    const included = new Set<string>();
    const kustomizationDirs: string[] = [];
    for (const file of this.files.values()) {
      if (!file.path || !file.facts.kustomize || !isKustomizationFileName(basename(file.path))) continue;
      const dir = dirname(file.path);
      kustomizationDirs.push(dir);
      for (const r of file.facts.kustomize.resources) if (!/^[a-z]+:\/\//i.test(r)) included.add(resolve(dir, r));
    }
    const root = (path: string) => this.rootOf(path) ?? dirname(path);
    const roots: { cluster: Cluster; files: Set<string> }[] = kustomizationDirs
      .filter((d) => !included.has(d))
      .sort()
      .slice(0, MAX_KUSTOMIZE_ROOTS)
      .map((dir) => ({
        cluster: {
          dir,
          label: relative(root(dir), dir) || basename(dir),
          fluxVersion: undefined,
          settings: new Map(),
          files: new Set(),
          install: {
            mode: 'unknown',
            controllersKnown: false,
            origin: undefined,
            stated: false,
            unknown: 'no cluster of the repository applies this kustomization: Flux is installed outside it',
          },
        },
        files: this.reach(dir, byDir, root(dir)),
      }));
    this.rootsCache = roots;
    return roots;
  }

  private filesByDir(): Map<string, IndexedFile[]> {
    const byDir = new Map<string, IndexedFile[]>();
    for (const file of this.files.values()) {
      if (!file.path) continue;
      const dir = dirname(file.path);
      if (!byDir.has(dir)) byDir.set(dir, []);
      byDir.get(dir)!.push(file);
    }
    return byDir;
  }

  /**
   * Azure hosts some source of the repository logs in to (provider azure or a secretRef), as written or as a
   * cluster applies it. A host nobody logs in to may well allow anonymous pull.
   */
  logsInTo(hosts: readonly string[]): boolean {
    if (hosts.length === 0) return false;
    const gens = this.generations;
    const stamp = `${gens.identityRefs}/${gens.renderedLogins}/${gens.cluster}`;
    if (this.loginsCache?.stamp !== stamp) {
      const written = new Set<string>();
      for (const file of this.files.values()) for (const h of file.facts.registryLogins) written.add(h);
      this.loginsCache = { stamp, written, answers: new Map() };
    }
    const cache = this.loginsCache;
    const key = hosts.join(' ');
    const known = cache.answers.get(key);
    if (known !== undefined) return known;
    let found = hosts.some((h) => cache.written.has(h));
    if (!found) {
      // Renderings already made first: asking about one registry must not render the whole fleet when some
      // cluster at hand logs in to it.
      const clusters = this.clusters();
      const rendered = clusters.filter((c) => this.renderCache.has(c.dir));
      const rest = clusters.filter((c) => !this.renderCache.has(c.dir));
      for (const cluster of [...rendered, ...rest]) {
        const logins = viewsOf(this.renderingOf(cluster)).loginHosts;
        if (hosts.some((h) => logins.has(h))) {
          found = true;
          break;
        }
      }
    }
    cache.answers.set(key, found);
    return found;
  }

  private loginsCache: { stamp: string; written: Set<string>; answers: Map<string, boolean> } | undefined;

  // ---- queries -------------------------------------------------------------------------------------------

  factsOf(uri: string): FileFacts | undefined {
    return this.files.get(uri)?.facts;
  }

  /** Every indexed file (for whole-workspace features such as the Azure integrations list). */
  uris(): string[] {
    return [...this.files.keys()];
  }

  /** The workspace folder that contains a path (Flux resolves Kustomization paths from the repository root). */
  rootOf(path: string): string | undefined {
    return this.roots.find((r) => path.startsWith(r + sep));
  }

  /** The namespace kustomize gives an object without one: the nearest `kustomization.yaml` `namespace:` above it. */
  inheritedNamespace(uri: string): string | undefined {
    const path = uriToPath(uri);
    if (!path) return undefined;
    if (this.namespaceCacheGeneration !== this.gens.cluster) {
      this.namespaceCache.clear();
      this.namespaceCacheGeneration = this.gens.cluster;
    }
    const dir = dirname(path);
    if (this.namespaceCache.has(dir)) return this.namespaceCache.get(dir);
    const found = this.namespaceAbove(dir);
    this.namespaceCache.set(dir, found);
    return found;
  }

  /** Namespaces found above each directory, while the cluster facts (kustomization files) are unchanged. */
  private readonly namespaceCache = new Map<string, string | undefined>();
  private namespaceCacheGeneration = -1;

  private namespaceAbove(start: string): string | undefined {
    for (let dir = start; ; dir = dirname(dir)) {
      for (const name of KUSTOMIZATION_FILE_NAMES) {
        const k = this.files.get(pathToUri(join(dir, name)))?.facts.kustomize;
        if (k?.namespace) return k.namespace;
      }
      if (dirname(dir) === dir || !this.roots.some((r) => dir === r || dir.startsWith(r + sep))) return undefined;
    }
  }

  /** ServiceAccounts with this name (and namespace, when both are known), those of the same cluster first. */
  serviceAccounts(name: string, namespace: string | undefined, fromUri?: string): ServiceAccountFact[] {
    return this.lookup(this.named().serviceAccounts, name, namespace, fromUri);
  }

  secrets(name: string, namespace: string | undefined, fromUri?: string): SecretFact[] {
    return this.lookup(this.named().secrets, name, namespace, fromUri);
  }

  /** GitRepositories / kubeConfig ConfigMaps that name an identity (see `IdentityRefFact`). */
  identityRefs(
    kind: IdentityRefFact['kind'],
    name: string,
    namespace: string | undefined,
    fromUri?: string,
  ): IdentityRefFact[] {
    return this.lookup(this.named().identityRefs, name, namespace, fromUri).filter((r) => r.kind === kind);
  }

  /** Every ServiceAccount / Secret in a namespace (for completion). */
  allServiceAccounts(): ServiceAccountFact[] {
    return [...this.files.values()].flatMap((f) => f.facts.serviceAccounts.map((sa) => this.withNamespace(sa)));
  }

  allSecrets(): SecretFact[] {
    return [...this.files.values()].flatMap((f) => f.facts.secrets.map((s) => this.withNamespace(s)));
  }

  private withNamespace<T extends { uri: string; namespace: string | undefined }>(fact: T): T {
    return fact.namespace ? fact : { ...fact, namespace: this.inheritedNamespace(fact.uri) };
  }

  private named(): NonNullable<WorkspaceIndex['byName']> {
    if (!this.byName) {
      const serviceAccounts = new Map<string, ServiceAccountFact[]>();
      const secrets = new Map<string, SecretFact[]>();
      const identityRefs = new Map<string, IdentityRefFact[]>();
      const add = <T extends { name: string }>(map: Map<string, T[]>, fact: T) => {
        const list = map.get(fact.name);
        if (list) list.push(fact);
        else map.set(fact.name, [fact]);
      };
      // In the order of their files' paths (the order of the files in the map is the order they were seen in): the
      // first of two objects of the same name must not depend on which file was created or changed last.
      const files = [...this.files.values()].sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
      for (const file of files) {
        for (const sa of file.facts.serviceAccounts) add(serviceAccounts, sa);
        for (const secret of file.facts.secrets) add(secrets, secret);
        for (const ref of file.facts.identityRefs) add(identityRefs, ref);
      }
      this.byName = { serviceAccounts, secrets, identityRefs };
    }
    return this.byName;
  }

  private lookup<T extends { name: string; namespace: string | undefined; uri: string }>(
    byName: ReadonlyMap<string, readonly T[]>,
    name: string,
    namespace: string | undefined,
    fromUri?: string,
  ): T[] {
    const found: T[] = [];
    // The facts with this name in the order of their files' paths.
    for (const fact of byName.get(name) ?? []) {
      if (fact.name !== name) continue;
      const withNs = this.withNamespace(fact);
      if (namespace && withNs.namespace && withNs.namespace !== namespace) continue;
      found.push(withNs);
    }
    if (fromUri) {
      const mine = new Set(this.clustersOf(fromUri).map((c) => c.dir));
      const rank = (f: T) => (this.clustersOf(f.uri).some((c) => mine.has(c.dir)) ? 0 : 1);
      found.sort((a, b) => rank(a) - rank(b));
    }
    return found;
  }

  clusters(): Cluster[] {
    this.clustersCache ??= this.computeClusters();
    return this.clustersCache;
  }

  /**
   * The clusters a file is applied to. A file no cluster reaches (or an untitled one) belongs to the workspace's
   * only cluster when there is exactly one; with several it is unknown (empty), and cluster-dependent rules stay
   * silent rather than guess.
   */
  clustersOf(uri: string): Cluster[] {
    const all = this.clusters();
    const path = uriToPath(uri);
    const mine = path ? all.filter((c) => c.files.has(path)) : [];
    return mine.length > 0 ? mine : all.length === 1 ? all : [];
  }

  /** The Flux version that applies to a file: the setting, else its clusters' (the oldest), else undefined. */
  fluxVersionFor(uri: string): string | undefined {
    if (this.versionOverride) return this.versionOverride;
    const versions = this.clustersOf(uri)
      .map((c) => c.fluxVersion?.version)
      .filter((v): v is string => !!v);
    return versions.sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]))[0];
  }

  private computeClusters(): Cluster[] {
    const byDir = this.filesByDir();
    const root = (path: string) => this.rootOf(path) ?? dirname(path);
    const configured = new Map<string, ClusterConfig>();
    for (const [folder, config] of this.configs)
      for (const entry of config.clusters) {
        const dir = entry.path === '' ? folder : join(folder, ...entry.path.split('/'));
        if (!configured.has(dir)) configured.set(dir, entry);
      }
    const clusterDirs = new Set<string>(configured.keys());
    for (const file of this.files.values()) {
      if (!file.path) continue;
      const name = basename(file.path);
      const dir = dirname(file.path);
      if (
        basename(dir) === BOOTSTRAP_DIR &&
        (isGotkFile(name) || (isKustomizationFileName(name) && listsGotkFile(file.facts)))
      )
        clusterDirs.add(dirname(dir));
      else if (file.facts.hasFluxInstance) clusterDirs.add(dir);
      else if (file.facts.installs.some((i) => i.mode === 'helm-chart'))
        clusterDirs.add(basename(dir) === BOOTSTRAP_DIR ? dirname(dir) : dir);
      // Bootstrap files kept elsewhere (a shared `platform/flux/<env>` base): the cluster is the sync's spec.path.
      for (const k of file.facts.fluxKustomizations) {
        if (!k.path || k.name !== BOOTSTRAP_KUSTOMIZATION_NAME) continue;
        const target = fluxPathDir(root(file.path), k.path);
        if (target !== dir && byDir.has(target)) clusterDirs.add(target);
      }
    }
    const reached = new Map<string, Set<string>>();
    for (const dir of clusterDirs) reached.set(dir, this.reach(dir, byDir, root(dir)));
    // A folder with its own flux-system but no sync of its own (no gotk-sync.yaml) that another cluster reaches
    // from outside is a base (per-environment overlays include it), not a cluster of its own.
    const hasSync = (dir: string) =>
      this.files.has(pathToUri(join(dir, BOOTSTRAP_DIR, GOTK_SYNC_FILE))) ||
      KUSTOMIZATION_FILE_NAMES.some((n) =>
        this.files
          .get(pathToUri(join(dir, BOOTSTRAP_DIR, n)))
          ?.facts.kustomize?.resources.some((r) => basename(r) === GOTK_SYNC_FILE),
      );
    for (const dir of [...clusterDirs]) {
      if (configured.has(dir) || hasSync(dir)) continue;
      const own = join(dir, BOOTSTRAP_DIR) + sep;
      const base = [...clusterDirs].some(
        (other) =>
          other !== dir && !dir.startsWith(other + sep) && [...reached.get(other)!].some((f) => f.startsWith(own)),
      );
      if (base) clusterDirs.delete(dir);
    }
    // Outside every cluster found so far: objects the AKS GitOps extension annotates (the extension runs Flux
    // there), and Flux Kustomizations directly in a `clusters/<name>` folder (Flux installed from elsewhere, such as
    // the extension's fluxConfiguration).
    const covered = (path: string) => [...clusterDirs].some((d) => reached.get(d)!.has(path));
    const more = (dir: string | undefined) => {
      if (!dir || clusterDirs.has(dir)) return;
      clusterDirs.add(dir);
      reached.set(dir, this.reach(dir, byDir, root(dir)));
    };
    for (const file of this.files.values()) {
      if (!file.path || !file.facts.installs.some((i) => i.mode === 'aks-extension') || covered(file.path)) continue;
      more(aksClusterDir(file.path, root(file.path)));
    }
    for (const file of [...this.files.values()].sort((a, b) => (a.path ?? '').localeCompare(b.path ?? ''))) {
      if (!file.path || file.facts.fluxKustomizations.length === 0 || covered(file.path)) continue;
      if (basename(dirname(dirname(file.path))) === CLUSTERS_DIR) more(dirname(file.path));
    }
    return [...clusterDirs].sort().map((dir) => {
      const files = reached.get(dir)!;
      const settings = new Map<ControllerName, ControllerSetting[]>();
      const add = (s: ControllerSetting) => {
        if (!settings.has(s.controller)) settings.set(s.controller, []);
        settings.get(s.controller)!.push(s);
      };
      let fluxVersion: Cluster['fluxVersion'];
      const found: InstallEvidence = { installs: [], header: undefined, gotk: false, components: false };
      for (const path of files) {
        const facts = this.files.get(pathToUri(path))?.facts;
        if (!facts) continue;
        for (const s of facts.controllerSettings) add(s);
        if (facts.fluxVersion && (!fluxVersion || path.includes(`${sep}flux-system${sep}`)))
          fluxVersion = { ...facts.fluxVersion };
        found.installs.push(...facts.installs);
        found.header ??= facts.bootstrapHeader;
        found.gotk ||= isGotkFile(basename(path)) || listsGotkFile(facts);
        found.components ||= facts.controllerSettings.some((s) => s.via === 'components');
      }
      // bootstrap's own files below the cluster directory say how it was installed, even when no kustomization
      // lists them.
      const own = this.files.get(pathToUri(join(dir, BOOTSTRAP_DIR, GOTK_COMPONENTS_FILE)));
      found.header ??= own?.facts.bootstrapHeader;
      found.gotk ||= !!own || this.files.has(pathToUri(join(dir, BOOTSTRAP_DIR, GOTK_SYNC_FILE)));
      const entry = configured.get(dir);
      const install = installOf(found, settings, entry, add, (n, ns, k) => this.chartValuesNamed(n, ns, k));
      if (entry?.fluxVersion)
        fluxVersion = { version: entry.fluxVersion, written: entry.fluxVersion, uri: entry.uri, range: entry.range };
      return {
        dir,
        label: relative(root(dir), dir) || basename(dir),
        fluxVersion,
        settings,
        files,
        install,
        ...(entry?.aksClusterId ? { aksClusterId: entry.aksClusterId } : {}),
      };
    });
  }

  /** flux2 chart values kept in a ConfigMap of the workspace. */
  private chartValuesNamed(name: string, namespace: string | undefined, key: string) {
    for (const file of this.files.values())
      for (const v of file.facts.chartValues)
        if (v.name === name && v.key === key && (!namespace || !v.namespace || v.namespace === namespace)) return v;
    return undefined;
  }

  /** Files Flux applies starting from a directory, as kustomize-controller does. */
  private reach(start: string, byDir: Map<string, IndexedFile[]>, repoRoot: string): Set<string> {
    const files = new Set<string>();
    const seenDirs = new Set<string>();
    const pendingDirs = [start];
    // Directories holding YAML files at some depth, with their sub-directories (no scan of every directory).
    const listing = this.listing();
    const addFile = (path: string) => {
      if (files.has(path)) return;
      files.add(path);
      const facts = this.files.get(pathToUri(path))?.facts;
      for (const k of facts?.fluxKustomizations ?? []) if (k.path) pendingDirs.push(fluxPathDir(repoRoot, k.path));
    };
    while (pendingDirs.length > 0) {
      const dir = pendingDirs.pop()!;
      if (seenDirs.has(dir)) continue;
      seenDirs.add(dir);
      const kustomizationFile = (byDir.get(dir) ?? []).find((f) => isKustomizationFileName(basename(f.path!)));
      if (kustomizationFile?.facts.kustomize) {
        addFile(kustomizationFile.path!);
        for (const resource of kustomizationFile.facts.kustomize.resources) {
          if (/^[a-z]+:\/\//i.test(resource)) continue; // remote bases
          const target = resolve(dir, resource);
          if (byDir.has(target) || listing.has(target)) pendingDirs.push(target);
          else addFile(target);
        }
        for (const patch of kustomizationFile.facts.kustomize.patchFiles) addFile(resolve(dir, patch));
        continue;
      }
      // No kustomization.yaml: Flux generates one with every manifest below the directory, except that a
      // directory with its own kustomization.yaml is taken as a whole (what that file lists), not walked into.
      const below: string[] = [];
      const walk = (d: string) => {
        if (byDir.has(d)) below.push(d);
        for (const sub of listing.get(d)?.dirs ?? []) walk(sub);
      };
      walk(dir);
      const nested = below.filter(
        (d) => d !== dir && (byDir.get(d) ?? []).some((f) => isKustomizationFileName(basename(f.path!))),
      );
      pendingDirs.push(...nested);
      for (const d of below) {
        if (nested.some((n) => d === n || d.startsWith(n + sep))) continue;
        for (const f of byDir.get(d) ?? []) addFile(f.path!);
      }
    }
    return files;
  }
}

/** Whether a document is applied the same way: the same objects (by identity) by the same Kustomizations. */
function sameApplications(
  a: readonly { object: RObject; applied: Applied }[] | undefined,
  b: readonly { object: RObject; applied: Applied }[],
): boolean {
  return (
    !!a &&
    a.length === b.length &&
    a.every(
      (x, i) =>
        x.object === b[i].object &&
        x.applied.by === b[i].applied.by &&
        x.applied.label === b[i].applied.label &&
        sameVariables(x.applied, b[i].applied),
    )
  );
}

function sameVariables(a: Applied, b: Applied): boolean {
  if (!a.variables || !b.variables) return a.variables === b.variables;
  return variablesFingerprint(a.variables) === variablesFingerprint(b.variables);
}
