/**
 * Entry of the CLI's Azure bundle (server/out/cliAzure.js), which `flux-azure-check --azure` loads by path: the
 * readiness checks of the extension's tree view, signed in with `DefaultAzureCredential`, on the integrations the
 * CLI's workspace analysis found.
 */
import { readFileSync } from 'node:fs';
import type { CiReadiness, CiReadinessInput } from '../../shared/src/ciReadiness';
import { resolveCloud } from './cloud';
import { describeError } from './errors';
import { clusterMappings, readinessFindings, readinessRows } from './findings';
import { createSession } from './session';

export async function checkReadinessForCi(input: CiReadinessInput): Promise<CiReadiness> {
  const { catalog } = input;
  const cloud = resolveCloud(
    input.cloud,
    catalog.clouds,
    input.customCloud ?? {},
    (path) => readFileSync(path, 'utf8'),
    '',
  );
  const session = createSession({ cloud, method: 'default', knownRoles: catalog.roles });
  try {
    const signedIn = await session.account();
    // CI logs are widely readable: the application's name, not its client id.
    const account = {
      ...signedIn,
      label: signedIn.label.replace(/\s*\(?\b[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}\b\)?/gi, ''),
    };
    const model = await session.checkReadiness(
      catalog.integrations,
      clusterMappings(catalog, input.aksClusters ?? {}, '--aks-cluster'),
      catalog.tokenExchangeAudience,
      catalog.azureDevOpsScope,
    );
    const rows = readinessRows(catalog.integrations, model, false);
    return { account, findings: readinessFindings(rows, model.federation), requests: session.requests };
  } catch (err) {
    // Nothing could be asked of Azure: what the manifests alone decide, and why.
    const rows = readinessRows(catalog.integrations, undefined, true);
    return { error: describeError(err).message, findings: readinessFindings(rows, []), requests: session.requests };
  } finally {
    session.dispose();
  }
}
