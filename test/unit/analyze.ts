import { relative } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver';
import type { ServerSettings } from '../../shared/src/protocol';
import { analyzePaths } from '../../server/src/batch';

/** Indexes a folder as the server does and returns the diagnostics of every YAML file in it. */
export async function analyzeFolder(
  root: string,
  settings: Partial<ServerSettings> = {},
): Promise<{ file: string; d: Diagnostic }[]> {
  const reports = await analyzePaths([root], { settings });
  return reports.flatMap((r) => r.diagnostics.map((d) => ({ file: relative(root, r.path), d })));
}
