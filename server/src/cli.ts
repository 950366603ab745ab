import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { CiAzureModule } from '../../shared/src/ciReadiness';
import { main } from './cli/cli';

// The command-line checker: `node server/out/cli.js [paths...]` (also the `flux-azure-check` bin).
main(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  isTty: !!process.stdout.isTTY,
  cwd: process.cwd(),
  // The Azure SDK lives in a bundle of its own beside this one, loaded only with --azure: a runtime require of a
  // computed path, which esbuild leaves alone.
  loadAzure: () => createRequire(__filename)(join(__dirname, 'cliAzure.js')) as CiAzureModule,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(
      `flux-azure-check: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exitCode = 3;
  },
);
