#!/usr/bin/env node
// Grammar tests: runs vscode-tmgrammar-test on test/grammar/*.tmtest with VS Code's YAML grammar (a test fixture)
// and our injection grammar (from package.json `contributes.grammars`), and prints `grammar: N passed, N failed`
// (one per test file). Exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const yamlGrammars = join(root, 'test', 'fixtures', 'grammar', 'vscode-yaml');
const args = [join(root, 'node_modules', 'vscode-tmgrammar-test', 'dist', 'unit.js'), '--config', 'package.json'];
for (const name of readdirSync(yamlGrammars).sort())
  if (name.endsWith('.json')) args.push('-g', join(yamlGrammars, name));
args.push('test/grammar/*.tmtest');
const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
process.stdout.write(output);
const passed = (output.match(/^✓ /gm) ?? []).length;
const failed = (output.match(/^✖ /gm) ?? []).length + (r.status !== 0 && !/^✖ /m.test(output) ? 1 : 0);
console.log(`grammar: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
