// Runs the built `flux-azure-check` (server/out/cli.js) as CI does, against the stand-in: without blocking, since the
// stand-in answers from the test's own process.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StandIn } from './standIn';
import { OPERATOR, T1 } from './world';

const REPO = join(__dirname, '..', '..', '..');
const CLI = join(REPO, 'server', 'out', 'cli.js');

export interface Run {
  code: number | null;
  out: string;
  err: string;
}

/**
 * The CLI in the repository, signed in as the operator through DefaultAzureCredential's environment credential
 * (a service principal with a secret, as a CI secret store would set it); `env` adds or overrides variables.
 */
export function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: REPO,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        // Only the environment credential of the chain: no Azure CLI, no managed identity endpoint probed.
        AZURE_TOKEN_CREDENTIALS: 'EnvironmentCredential',
        AZURE_TENANT_ID: T1,
        AZURE_CLIENT_ID: OPERATOR.clientId,
        AZURE_CLIENT_SECRET: OPERATOR.secret,
        ...env,
      },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

/** A `--cloud-config` file naming the stand-in as a private cloud (the keys of the custom-cloud settings). */
export function writeCloudConfig(standIn: StandIn): string {
  const file = join(mkdtempSync(join(tmpdir(), 'flux-azure-cli-')), 'contoso-private.json');
  writeFileSync(
    file,
    JSON.stringify({
      resourceManagerEndpoint: standIn.url,
      authorityHost: standIn.url,
      tokenAudience: standIn.audience,
      certificateAuthorityFile: standIn.caFile,
      azureDevOpsGraphEndpoint: standIn.url,
      graphEndpoint: standIn.url,
    }),
  );
  return file;
}
