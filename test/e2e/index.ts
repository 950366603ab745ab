// Mocha runner loaded by VS Code's extension host (`extensionTestsPath`). Runs every bundled suite next to it and
// writes a JSON summary to $FLUX_AZURE_TEST_RESULTS, because test output does not reach the launcher's stdout
// reliably when the extension host runs inside code-server.
import Mocha from 'mocha';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { metrics } from './metrics';

interface TestRecord {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  // `node scripts/e2e.mjs --grep <pattern>`: only the tests whose full title matches.
  const grep = process.env.FLUX_AZURE_E2E_GREP;
  if (grep) mocha.grep(grep);
  // The suites of the window's workspace: suite/ with examples/ open, empty/ with an empty folder open.
  const suiteDir = join(__dirname, process.env.FLUX_AZURE_E2E_SUITES ?? 'suite');
  for (const name of readdirSync(suiteDir).sort()) {
    if (name.endsWith('.test.js')) mocha.addFile(join(suiteDir, name));
  }
  const tests: TestRecord[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const summary = {
        passed: tests.filter((t) => t.state === 'passed').length,
        failed: tests.filter((t) => t.state === 'failed').length,
        tests,
        metrics: metrics(),
      };
      const out = process.env.FLUX_AZURE_TEST_RESULTS;
      if (out) writeFileSync(out, JSON.stringify(summary, null, 2) + '\n');
      if (failures > 0) reject(new Error(`${failures} e2e test(s) failed`));
      else resolve();
    });
    runner.on('pass', (test) => tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration }));
    runner.on('pending', (test) => tests.push({ title: test.fullTitle(), state: 'pending' }));
    runner.on('fail', (test, err: Error) =>
      tests.push({
        title: test.fullTitle(),
        state: 'failed',
        durationMs: test.duration,
        error: err?.message ?? String(err),
      }),
    );
  });
}
