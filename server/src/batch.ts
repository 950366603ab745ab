import { promises as fs } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver';
import type { ServerSettings } from '../../shared/src/protocol';
import { parseManifest } from './document/manifest';
import { createFluxService, type FluxService } from './service';
import { findYamlFiles, isYamlPath, pathToUri, readYamlFile } from './workspace/files';

export interface FileReport {
  readonly path: string;
  readonly uri: string;
  readonly diagnostics: readonly Diagnostic[];
  /** Why the file was not analysed (too large, binary), if so. */
  readonly skipped?: string;
}

export interface BatchOptions {
  readonly settings?: Partial<ServerSettings>;
  /** Keep only these rule codes (prefix `flux-azure/` optional). */
  readonly only?: (code: string) => boolean;
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Index this folder whole and report only `paths` (a pre-commit hook's changed files): they are judged with the
   * clusters, ServiceAccounts and patches of the whole repository, not only of their own folders.
   */
  readonly workspace?: string;
}

/**
 * Analyses files and folders exactly as the language server does (same index, same rules), for the CLI and tests.
 * Folders are indexed whole, so cross-file rules see ServiceAccounts, Secrets and flux-system patches.
 */
export async function analyzePaths(paths: readonly string[], options: BatchOptions = {}): Promise<FileReport[]> {
  return (await analyzeWorkspace(paths, options)).reports;
}

/** `analyzePaths`, and the service that did it (the CLI asks it for the workspace's Azure integrations too). */
export async function analyzeWorkspace(
  paths: readonly string[],
  options: BatchOptions = {},
): Promise<{ reports: FileReport[]; service: FluxService }> {
  const roots: string[] = [];
  const files: string[] = [];
  for (const p of paths.map((x) => resolve(x))) {
    const stat = await fs.stat(p).catch(() => undefined);
    if (!stat) throw new Error(`no such file or folder: ${p}`);
    if (stat.isDirectory()) {
      roots.push(p);
      files.push(...(await findYamlFiles(p)));
    } else {
      roots.push(dirname(p));
      if (isYamlPath(p) || paths.length === 1) files.push(p);
    }
  }
  if (options.workspace && !(await fs.stat(resolve(options.workspace)).catch(() => undefined))?.isDirectory())
    throw new Error(`no such file or folder: ${resolve(options.workspace)}`);
  // The index keeps what its scan parsed, so each file is read and split once for facts and rules alike.
  const service = createFluxService({
    roots: options.workspace ? [resolve(options.workspace)] : [...new Set(roots)],
    settings: { ...options.settings, diagnostics: { enable: true, scope: 'workspace' } },
    keepEveryModel: true,
  });
  await service.scan();
  const reports: FileReport[] = [];
  const unique = [...new Set(files)].sort();
  for (const [i, path] of unique.entries()) {
    options.onProgress?.(i, unique.length);
    const uri = pathToUri(path);
    let file = service.index.diskModel(uri);
    if (!file) {
      // Not below a scanned folder's YAML files (a file named explicitly), or declined by the scan (size, binary).
      const read = await readYamlFile(path);
      if (!read) continue;
      if ('skipped' in read) {
        reports.push({ path, uri, diagnostics: [], skipped: read.skipped });
        continue;
      }
      file = parseManifest(uri, 1, read.text);
    }
    reports.push({ path, uri, diagnostics: service.diagnosticsOf(file, options.only) });
  }
  options.onProgress?.(unique.length, unique.length);
  return { reports, service };
}
