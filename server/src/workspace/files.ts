import { closeSync, fstatSync, openSync, promises as fs, readSync } from 'node:fs';
import * as nodePath from 'node:path';
import { isAbsolute, join, normalize, type PlatformPath } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';

/** Files larger than this are not indexed (nor analysed when opened): generated bundles, dumps. */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'out', 'dist', '.terraform', '.vscode-test']);

export function isYamlPath(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}

/** Paths of recently converted URIs: the index converts the same few thousand URIs over and over. */
const pathsByUri = new Map<string, string | undefined>();

export function uriToPath(uri: string): string | undefined {
  if (pathsByUri.has(uri)) return pathsByUri.get(uri);
  let path: string | undefined;
  try {
    path = uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    path = undefined;
  }
  if (pathsByUri.size >= 100_000) pathsByUri.clear();
  pathsByUri.set(uri, path);
  return path;
}

/** `pathToFileURL` is slow (percent-encoding in JavaScript) and rendering asks for the same paths again and again. */
const urisByPath = new Map<string, string>();

export function pathToUri(path: string): string {
  let uri = urisByPath.get(path);
  if (uri === undefined) {
    uri = pathToFileURL(path).href;
    if (urisByPath.size >= 100_000) urisByPath.clear();
    urisByPath.set(path, uri);
    // The way back, for a path it gives unchanged (every path the scan lists): the index asks for it next.
    if (!pathsByUri.has(uri) && isAbsolute(path) && normalize(path) === path) {
      if (pathsByUri.size >= 100_000) pathsByUri.clear();
      pathsByUri.set(uri, path);
    }
  }
  return uri;
}

/** Every YAML file below `root`, skipping VCS and dependency folders and symlinked directories. */
export async function findYamlFiles(root: string, limit = 50_000): Promise<string[]> {
  const found: string[] = [];
  const pending = [root];
  while (pending.length > 0 && found.length < limit) {
    const dir = pending.pop()!;
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      continue; // deleted or unreadable meanwhile
    }
    for (const entry of entries) {
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) pending.push(join(dir, entry.name));
      } else if (entry.isFile() && isYamlPath(entry.name)) found.push(join(dir, entry.name));
    }
  }
  return found.sort();
}

export type ReadResult = { text: string } | { skipped: string };

/** Reads a YAML file as text, declining huge and binary files with a reason. */
export async function readYamlFile(path: string): Promise<ReadResult | undefined> {
  try {
    const stat = await fs.stat(path);
    if (!stat.isFile()) return undefined;
    if (stat.size > MAX_FILE_BYTES) return { skipped: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB` };
    const buffer = await fs.readFile(path);
    const reason = binaryReason(buffer);
    if (reason) return { skipped: reason };
    return { text: buffer.toString('utf8') };
  } catch {
    return undefined; // deleted meanwhile
  }
}

/** `readYamlFile`, synchronously (the workspace scan reads many small files; see `WorkspaceIndex.scan`). */
function readYamlFileSync(path: string): ReadResult | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const stat = fstatSync(fd);
    if (!stat.isFile()) return undefined;
    if (stat.size > MAX_FILE_BYTES) return { skipped: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB` };
    // One read of the size fstat gave (readFileSync would stat again). A file written meanwhile is read again when
    // the editor reports the change.
    const buffer = Buffer.allocUnsafe(stat.size);
    let got = 0;
    while (got < stat.size) {
      const n = readSync(fd, buffer, got, stat.size - got, got);
      if (n === 0) break;
      got += n;
    }
    const data = got === stat.size ? buffer : buffer.subarray(0, got);
    const reason = binaryReason(data);
    if (reason) return { skipped: reason };
    return { text: data.toString('utf8') };
  } catch {
    return undefined; // deleted meanwhile
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A reason to treat content as binary, or undefined for text. */
export function binaryReason(data: Uint8Array | string): string | undefined {
  const binary =
    typeof data === 'string' ? data.slice(0, 8192).includes('\0') : data.subarray(0, 8192).indexOf(0) !== -1;
  return binary ? 'binary content (NUL bytes)' : undefined;
}

/** Where the workspace's YAML files are found and read: the disk, or what a host hands the language service. */
export interface WorkspaceFiles {
  find(root: string): Promise<string[]>;
  read(path: string): Promise<ReadResult | undefined>;
  readSync(path: string): ReadResult | undefined;
}

export const DISK_FILES: WorkspaceFiles = { find: findYamlFiles, read: readYamlFile, readSync: readYamlFileSync };

/**
 * The directory a Flux Kustomization's `spec.path` names: relative to the repository root even when written with a
 * leading `/` (kustomize-controller joins it below the source root and never leaves it), with `/` separators in the
 * manifest whatever the platform's.
 */
export function fluxPathDir(repoRoot: string, specPath: string, path: PlatformPath = nodePath): string {
  const parts: string[] = [];
  for (const part of specPath.split(/[\\/]/)) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return path.join(repoRoot, ...parts);
}

/** Whether `file` is inside `dir` (at any depth), with the platform's separators. */
export function isInsideDir(dir: string, file: string, path: PlatformPath = nodePath): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
