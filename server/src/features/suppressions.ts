import type { ManifestFile } from '../document/manifest';

/**
 * Inline suppression comments, honoured by the editor and the CLI alike:
 *   `# flux-azure-disable-next-line [code ...]`  the next line
 *   `# flux-azure-disable-line [code ...]`       the same line (trailing comment)
 *   `# flux-azure-disable-file [code ...]`       the whole file
 * Without codes, every rule is silenced; codes may be written with or without the `flux-azure/` prefix.
 */
export const SUPPRESS_PREFIX = 'flux-azure-disable';
const COMMENT = /#\s*flux-azure-disable-(next-line|line|file)\b([^\n]*)/g;

export function suppressions(file: ManifestFile): (code: string, line: number) => boolean {
  if (!file.text.includes(SUPPRESS_PREFIX)) return () => false;
  const byLine = new Map<number, Set<string> | 'all'>();
  let fileWide: Set<string> | 'all' | undefined;
  for (const m of file.text.matchAll(COMMENT)) {
    const codes = m[2]
      .split(/[\s,]+/)
      .filter((c) => c && !c.startsWith('--'))
      .map((c) => (c.startsWith('flux-azure/') ? c : `flux-azure/${c}`));
    const set: Set<string> | 'all' = codes.length === 0 ? 'all' : new Set(codes);
    const line = file.lines.lineOf(m.index!);
    if (m[1] === 'file') fileWide = merge(fileWide, set);
    else {
      const target = m[1] === 'line' ? line : line + 1;
      byLine.set(target, merge(byLine.get(target), set));
    }
  }
  return (code, line) => matches(fileWide, code) || matches(byLine.get(line), code);
}

function merge(a: Set<string> | 'all' | undefined, b: Set<string> | 'all'): Set<string> | 'all' {
  if (a === 'all' || b === 'all') return 'all';
  return new Set([...(a ?? []), ...b]);
}

function matches(set: Set<string> | 'all' | undefined, code: string): boolean {
  return set === 'all' || (set !== undefined && set.has(code));
}
