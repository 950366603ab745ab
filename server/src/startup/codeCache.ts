import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire, wrap } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/**
 * Loads the server's bundles with V8's code cache, the way VS Code loads its own code: the first start compiles them
 * and saves the compiled code to a per-user cache directory; later starts skip most of the compilation (about 15 ms of
 * the ~60 ms the server adds to Node's own start-up, measured with `npm run bench`).
 *
 * A cache that is missing, unreadable, stale or rejected by V8 only costs that time: the bundle is compiled from
 * source as usual. `FLUX_AZURE_CODE_CACHE` names the directory (the extension passes its global storage), or `off`.
 */

interface Loaded {
  readonly file: string;
  readonly script: Script;
  /** The compiled code as captured by `captureCodeCache` (else it is taken when saving). */
  data?: Buffer;
  readonly cacheFile: string | undefined;
  /** Whether a usable cache existed: then nothing needs writing. */
  readonly accepted: boolean;
}

const loaded: Loaded[] = [];

/** The directory for compiled code, or undefined when caching is off. */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const setting = env.FLUX_AZURE_CODE_CACHE;
  if (setting === 'off') return undefined;
  if (setting) return setting;
  if (process.platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'flux-azure', 'code-cache');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'flux-azure', 'code-cache');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'flux-azure', 'code-cache');
}

/**
 * Runs the CommonJS bundle `file` and returns its exports. `provided` answers `require` for modules the bundle
 * shares with the one loading it (the protocol library, so both use one copy); anything else is required normally.
 */
export function loadBundle(file: string, provided: Readonly<Record<string, unknown>> = {}): unknown {
  const source = readFileSync(file, 'utf8');
  const cacheFile = cacheFileFor(file);
  let cachedData: Buffer | undefined;
  if (cacheFile) {
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      cachedData = undefined; // first start, or the cache was cleared
    }
  }
  const script = new Script(wrap(source), { filename: file, ...(cachedData ? { cachedData } : {}) });
  loaded.push({ file, script, cacheFile, accepted: !!cachedData && !script.cachedDataRejected });
  const nodeRequire = createRequire(file);
  const requireFn = Object.assign(
    (id: string): unknown => (Object.prototype.hasOwnProperty.call(provided, id) ? provided[id] : nodeRequire(id)),
    { resolve: nodeRequire.resolve, cache: nodeRequire.cache, main: require.main },
  );
  const module = { exports: {} as unknown, filename: file, id: file, loaded: false };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, requireFn, module, file, dirname(file));
  module.loaded = true;
  return module.exports;
}

/**
 * Takes the compiled code of the bundle `file` now, for `saveCodeCaches` to write later. For a bundle whose start-up
 * is what matters (the shell, right after `initialize`): the more functions a cache holds, the longer V8 takes to
 * read it, so code that only runs later is better compiled when it runs.
 */
export function captureCodeCache(file: string): void {
  for (const entry of loaded) {
    if (entry.file === file && !entry.accepted && entry.cacheFile) entry.data ??= entry.script.createCachedData();
  }
}

/**
 * Writes the compiled code of every bundle loaded without a usable cache (call when idle: after start-up work, so
 * the functions it compiled are included). Failures are ignored: the cache is an optimisation only.
 */
export function saveCodeCaches(): void {
  for (const entry of loaded.splice(0)) {
    if (entry.accepted || !entry.cacheFile) continue;
    try {
      const dir = dirname(entry.cacheFile);
      mkdirSync(dir, { recursive: true });
      const prefix = cachePrefix(entry.cacheFile);
      for (const name of readdirSync(dir)) {
        if (name.startsWith(prefix) && name !== basename(entry.cacheFile)) unlinkSync(join(dir, name));
      }
      const temp = `${entry.cacheFile}.${process.pid}.tmp`;
      writeFileSync(temp, entry.data ?? entry.script.createCachedData());
      renameSync(temp, entry.cacheFile);
    } catch {
      // read-only home, full disk, a concurrent writer: the next start compiles from source again
    }
  }
}

/**
 * `<bundle>_<install>-<mtime>-<size>-<v8>-<arch>.bin`: a rebuilt bundle or another Node gets its own file; `install`
 * (a hash of the bundle's folder) keeps two installations (two extension versions, two clones) from removing each
 * other's caches as stale.
 */
function cacheFileFor(file: string): string | undefined {
  const dir = codeCacheDir();
  if (!dir) return undefined;
  try {
    const stat = statSync(file);
    const key = `${Math.floor(stat.mtimeMs)}-${stat.size}-${process.versions.v8}-${process.arch}`;
    return join(dir, `${basename(file, '.js')}_${pathHash(dirname(file))}-${key.replace(/[^\w.-]/g, '_')}.bin`);
  } catch {
    return undefined;
  }
}

/** The part of a cache file name shared by every build of the same bundle in the same place. */
function cachePrefix(cacheFile: string): string {
  const name = basename(cacheFile);
  return name.slice(0, name.indexOf('-') + 1);
}

/** FNV-1a of a path, in base 36: short and stable, not a security measure. */
function pathHash(path: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) hash = Math.imul(hash ^ path.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(36);
}
