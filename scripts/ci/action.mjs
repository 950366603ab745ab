#!/usr/bin/env node
// The step of the composite GitHub Action (action.yml), runnable anywhere: reads the action's inputs from the
// environment, runs flux-azure-check on them, and with INPUT_SARIF_FILE also writes the SARIF report there (for
// upload to code scanning). Exits with the check's exit code (0 clean, 1 findings at or above fail-on, 2 usage).
//   INPUT_PATHS="clusters apps" INPUT_FAIL_ON=warning INPUT_SARIF_FILE=flux-azure.sarif node scripts/ci/action.mjs
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../server/out/cli.js', import.meta.url));
const input = (name, fallback = '') => (process.env[`INPUT_${name}`] ?? '').trim() || fallback;

const paths = input('PATHS', '.').split(/\s+/);
const format = input('FORMAT', 'text');
const failOn = input('FAIL_ON', 'error');
const sarifFile = input('SARIF_FILE');

if (!existsSync(cli)) {
  process.stderr.write(`flux-azure-check is not built (${cli}): run node scripts/build.mjs first\n`);
  process.exit(3);
}

function check(args, stdio) {
  const r = spawnSync(process.execPath, [cli, ...paths, ...args], { stdio, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.error) throw r.error;
  return r;
}

if (sarifFile) {
  // Every finding goes to code scanning, whatever fails the step.
  const sarif = check(['--format', 'sarif', '--fail-on', 'never'], ['ignore', 'pipe', 'inherit']);
  if (sarif.status !== 0) process.exit(sarif.status ?? 3);
  writeFileSync(resolve(sarifFile), sarif.stdout);
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `sarif-file=${resolve(sarifFile)}\n`);
}
const run = check(['--format', format, '--fail-on', failOn], 'inherit');
process.exit(run.status ?? 3);
