import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver';
import { DEFAULT_SETTINGS, type ServerSettings } from '../../shared/src/protocol';
import { parseManifest } from '../../server/src/document/manifest';
import { computeDiagnostics } from '../../server/src/features/diagnostics';
import { WorkspaceIndex } from '../../server/src/workspace/workspaceIndex';
import { findYamlFiles, pathToUri } from '../../server/src/workspace/files';

/** Indexes a folder as the server does and returns the diagnostics of every YAML file in it. */
export async function analyzeFolder(
  root: string,
  settings: Partial<ServerSettings> = {},
): Promise<{ file: string; d: Diagnostic }[]> {
  const index = new WorkspaceIndex();
  index.setRoots([root]);
  await index.scan();
  const ctx = { index, settings: { ...DEFAULT_SETTINGS, ...settings } };
  index.setVersionOverride(settings.fluxVersion);
  const out: { file: string; d: Diagnostic }[] = [];
  for (const path of await findYamlFiles(root)) {
    const file = parseManifest(pathToUri(path), 1, readFileSync(path, 'utf8'));
    for (const d of computeDiagnostics(file, ctx)) out.push({ file: relative(root, path), d });
  }
  return out;
}
