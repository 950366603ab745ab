// No import cycles among the sources (server/src, client/src, shared/src), type-only imports included: a cycle means
// two modules that cannot be read, tested or moved apart, even when the bundler would not mind. Imports are found with
// the TypeScript compiler's own pre-processor (import and export declarations, `import type`, `import()`, `require`,
// `typeof import()`), so nothing is missed by a hand-written pattern.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const REPO = join(__dirname, '..', '..', '..');
const ROOTS = ['server/src', 'client/src', 'shared/src', 'azure/src'];

/**
 * Cycles being removed; each entry is the exact set of modules in the cycle, so any other cycle (or this one growing)
 * still fails. Empty: there are none, and a new one fails the test.
 */
const KNOWN_CYCLES: string[][] = [];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(REPO, dir)).flatMap((name) => {
    const path = `${dir}/${name}`;
    if (statSync(join(REPO, path)).isDirectory()) return name === 'out' ? [] : sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The repository-relative source file a relative specifier names, or undefined (packages, missing files). */
function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(REPO, dirname(from), specifier);
  const candidates = [base, `${base}.ts`, join(base, 'index.ts'), base.replace(/\.js$/, '.ts')];
  const found = candidates.find((c) => c.endsWith('.ts') && existsSync(c) && statSync(c).isFile());
  return found && relative(REPO, found).split('\\').join('/');
}

function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of ROOTS.flatMap(sourceFiles)) {
    const info = ts.preProcessFile(readFileSync(join(REPO, file), 'utf8'), true, true);
    const targets = info.importedFiles.map((f) => resolveImport(file, f.fileName));
    graph.set(file, [...new Set(targets.filter((t): t is string => t !== undefined))]);
  }
  return graph;
}

/** Strongly connected components with more than one module, or a module importing itself (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || graph.get(node)?.includes(node)) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

test('import graph: the walk sees the sources and their imports', () => {
  const graph = importGraph();
  assert.ok(graph.size > 100, `only ${graph.size} source files found`);
  // A type-only import and an `export … from` are edges too.
  assert.ok(graph.get('server/src/startup/shell.ts')?.includes('server/src/session.ts'));
  assert.ok(graph.get('server/src/catalog/index.ts')?.includes('server/src/catalog/kinds/index.ts'));
});

test('import graph: the cycle finder finds a cycle, type-only included', () => {
  const graph = new Map([
    ['a.ts', ['b.ts']],
    ['b.ts', ['c.ts']],
    ['c.ts', ['a.ts', 'd.ts']],
    ['d.ts', []],
    ['e.ts', ['e.ts']],
  ]);
  assert.deepEqual(cycles(graph), [['a.ts', 'b.ts', 'c.ts'], ['e.ts']]);
});

test('import graph: no cycles among server/src, client/src and shared/src', () => {
  const known = KNOWN_CYCLES.map((c) => [...c].sort().join(' '));
  const found = cycles(importGraph()).map((c) => c.join(' '));
  const unexpected = found.filter((c) => !known.includes(c));
  assert.deepEqual(unexpected, [], `import cycles (each line one cycle's modules):\n${unexpected.join('\n')}`);
  const gone = known.filter((c) => !found.includes(c));
  assert.deepEqual(gone, [], 'a known cycle is gone: delete it from KNOWN_CYCLES');
});
