// Flux readiness beyond role assignments, through the real tree provider, session and Azure SDK clients against the
// stand-in: federated identity credentials of every identity the manifests use (issuer, subject, audience), the
// AKS clusters' OIDC issuer and workload identity, Key Vault access policies, ACR ABAC mode, storage shared keys and
// Event Hubs local auth.
import './vscodeStub';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import type { SessionOptions } from '../../azure/src/session';
import type { IntegrationsResult } from '../../shared/src/protocol';
import { createFluxService } from '../../server/src/service';
import { startStandIn, type StandIn } from './standIn';
import { cloudOf, examplesCatalog, knownRoles, signInAsOperator } from './cloud';
import { render, TestController, walk, type Row } from './treeHarness';
import { LIVE_SOURCE, liveFindings } from '../../client/src/views/liveFindings';
import {
  AKS_LEGACY,
  AKS_NOWI,
  AKS_PROD,
  AKS_STAGING,
  EVENTHUBS_STAGING,
  ISSUER_OLD_STAGING,
  ISSUER_STAGING,
  REGISTRY,
  RESOURCE_PROPERTIES,
  STORAGE_PROD,
  T1,
  VAULT_PROD,
  principalOf,
} from './world';

const BOUND = { timeout: 30_000 };

let standIn: StandIn;
let catalog: IntegrationsResult;
const controllers: TestController[] = [];
const saved = JSON.stringify(RESOURCE_PROPERTIES);

function controller(answer: IntegrationsResult = catalog, options: Partial<SessionOptions> = {}): TestController {
  const c = new TestController(
    () => ({
      cloud: cloudOf(standIn),
      method: 'environment',
      knownRoles,
      tuning: { retryDelayMs: 10, maxRetryAfterMs: 3000 },
      ...options,
    }),
    answer,
  );
  controllers.push(c);
  return c;
}

/** examples/ with `.flux-azure.yaml` naming the AKS cluster of each directory (as a team would write it). */
function mapped(clusters: Record<string, string>): IntegrationsResult {
  return { ...catalog, clusters: Object.entries(clusters).map(([label, aksClusterId]) => ({ label, aksClusterId })) };
}

function find(rows: readonly Row[], re: RegExp): Row {
  const row = rows.find((r) => re.test(r.text));
  assert.ok(row, `${re} in\n${render(rows)}`);
  return row;
}

/** The rows right under `parent`. */
function under(rows: readonly Row[], parent: Row): Row[] {
  const start = rows.indexOf(parent);
  const out: Row[] = [];
  for (const r of rows.slice(start + 1)) {
    if (r.depth <= parent.depth) break;
    if (r.depth === parent.depth + 1) out.push(r);
  }
  return out;
}

/** The rows of a cluster (depth 1 under `clusters/<name>`). */
function clusterRows(rows: readonly Row[], cluster: string): Row[] {
  return under(rows, find(rows, new RegExp(`^clusters/${cluster} — `)));
}

before(async () => {
  standIn = await startStandIn();
  catalog = await examplesCatalog();
  signInAsOperator();
});

afterEach(() => {
  standIn.clearFaults();
  for (const c of controllers.splice(0)) c.dispose();
  const original = JSON.parse(saved) as typeof RESOURCE_PROPERTIES;
  for (const key of Object.keys(RESOURCE_PROPERTIES)) delete RESOURCE_PROPERTIES[key];
  Object.assign(RESOURCE_PROPERTIES, original);
});

after(async () => {
  await standIn?.stop();
});

const IDENTITY_PATH = (name: string) =>
  new RegExp(`/providers/Microsoft\\.ManagedIdentity/userAssignedIdentities/${name}/federatedIdentityCredentials$`);

describe('Federated credentials of the identities examples/ uses', () => {
  test(
    'without a cluster mapping: the issuer is found automatically when exactly one AKS cluster is trusted',
    BOUND,
    async () => {
      const rows = await walk(controller().readiness);
      const prod = clusterRows(rows, 'production');
      const staging = clusterRows(rows, 'staging');
      const row = (list: Row[], re: RegExp) => {
        const found = list.find((r) => re.test(r.text));
        assert.ok(found, `${re} in\n${render(rows)}`);
        return found;
      };
      // ✓ names the matching credential and says the cluster was found automatically.
      const controllers = row(prod, /^Federated credential for source-controller \(clusters\/production\) — /);
      assert.match(
        controllers.text,
        /— ✓ id-flux-prod-controllers — Federated credential 'source-controller-prod' matches \(issuer of AKS cluster aks-fleet-prod, found automatically; subject; audience\)$/,
      );
      assert.equal(controllers.contextValue, 'federation.ok');
      const issuerRow = under(rows, controllers).find((r) => r.text.startsWith('Issuer — '));
      assert.match(
        issuerRow!.text,
        /found automatically: the only AKS cluster whose issuer the credentials of id-flux-prod-controllers name/,
      );

      // ✗ wrong audience, with both strings, and the fix offered on the row.
      const notifier = row(prod, /^Federated credential for ServiceAccount flux-system\/flux-notifier — /);
      assert.match(
        notifier.text,
        /— ✗ id-flux-prod-notifier — audience differs: credential 'flux-notifier-prod' has 'api:\/\/AzureADTokenExchange\/', the token carries 'api:\/\/AzureADTokenExchange'$/,
      );
      assert.equal(notifier.contextValue, 'federation.missing.fix');
      assert.ok(
        under(rows, notifier).some((r) =>
          /^Audience differs — credential 'flux-notifier-prod': api:\/\/AzureADTokenExchange\/ ≠ api:\/\/AzureADTokenExchange$/.test(
            r.text,
          ),
        ),
      );

      // ✗ subject typo; ✗ subject differing only in case, said so.
      const canary = row(staging, /^Federated credential for ServiceAccount podinfo\/podinfo-canary — /);
      assert.match(
        canary.text,
        /✗ id-team-web-canary — subject differs: credential 'podinfo-canary-staging' has 'system:serviceaccount:podinfo:podinfo-canery', the token carries 'system:serviceaccount:podinfo:podinfo-canary'$/,
      );
      assert.doesNotMatch(canary.text, /case/);
      const reader = row(staging, /^Federated credential for ServiceAccount platform\/fleet-config-reader — /);
      assert.match(
        reader.text,
        /✗ id-fleet-config-staging — subject differs: .*'system:serviceaccount:platform:Fleet-config-reader'.*only upper\/lower case differs, and Entra compares case-sensitively$/,
      );
      assert.ok(under(rows, reader).some((r) => r.text.startsWith('Subject differs (case only) — ')));

      // ? the credential names the subject, but no AKS cluster has its issuer: say what to configure.
      const notifications = row(staging, /^Federated credential for notification-controller \(clusters\/staging\) — /);
      assert.match(
        notifications.text,
        /\? id-flux-staging-notifications — .*the OIDC issuer of clusters\/staging is not known \(could not search subscription Contoso Shared Services \(not readable\)\): set aksClusterId for it in \.flux-azure\.yaml/,
      );
      // ? two trusted clusters: not guessed.
      const source = row(prod, /^Federated credential for ServiceAccount podinfo\/podinfo-source — /);
      assert.match(source.text, /\? id-team-web-acr — .*several AKS clusters \(aks-fleet-prod, aks-fleet-staging\)/);

      // One credential list per identity, one cluster list per subscription.
      const lists = standIn.armRequests().filter((r) => /federatedIdentityCredentials$/.test(r.path));
      assert.equal(new Set(lists.map((r) => r.path)).size, lists.length, 'each identity listed once');
    },
  );

  test(
    'with .flux-azure.yaml naming the clusters: wrong issuer shows both strings; the fix adds the credential',
    BOUND,
    async () => {
      const c = controller(mapped({ 'clusters/production': AKS_PROD, 'clusters/staging': AKS_STAGING }));
      const rows = await walk(c.readiness);
      for (const cluster of ['production', 'staging'])
        assert.match(
          clusterRows(rows, cluster).find((r) =>
            r.text.startsWith('Federated credential for ServiceAccount podinfo/podinfo-source'),
          )!.text,
          new RegExp(
            `✓ id-team-web-acr — Federated credential 'podinfo-source-${cluster === 'production' ? 'prod' : 'staging'}' matches \\(issuer of AKS cluster aks-fleet-${cluster === 'production' ? 'prod' : 'staging'}; subject; audience\\)$`,
          ),
        );
      const notifications = find(rows, /^Federated credential for notification-controller \(clusters\/staging\) — /);
      assert.equal(
        notifications.text,
        `Federated credential for notification-controller (clusters/staging) — ✗ id-flux-staging-notifications — issuer differs: credential 'notification-controller-staging' has '${ISSUER_OLD_STAGING}', the token carries '${ISSUER_STAGING}'`,
      );
      // The fix as the context menu gets it: az command and ASO manifest from the server's catalog.
      const view = c.readiness.federation!.find((f) => f.identityName === 'id-flux-staging-notifications')!;
      const text = createFluxService({ roots: [] }).federatedCredentialText({
        identityId: view.fix!.identityId,
        name: view.fix!.name,
        issuer: view.fix!.issuer,
        subject: view.fix!.subject,
        namespace: view.fix!.namespace!,
      });
      assert.equal(
        text.azCli,
        `az identity federated-credential create --name notification-controller-staging --identity-name id-flux-staging-notifications --resource-group rg-fleet-identities --subscription a0b0c0d0-0000-4000-8000-000000000002 --issuer "${ISSUER_STAGING}" --subject "system:serviceaccount:flux-system:notification-controller" --audiences api://AzureADTokenExchange`,
      );
      assert.match(
        text.aso,
        /^apiVersion: managedidentity\.azure\.com\/v1api20230131\nkind: FederatedIdentityCredential\n/,
      );
      assert.match(
        text.aso,
        /\n {2}owner:\n {4}armId: \/subscriptions\/a0b0c0d0-0000-4000-8000-000000000002\/resourceGroups\/rg-fleet-identities\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/id-flux-staging-notifications\n/,
      );
      assert.match(
        text.aso,
        new RegExp(
          `\\n {2}issuer: ${ISSUER_STAGING.replace(/[.]/g, '\\.')}\\n {2}subject: system:serviceaccount:flux-system:notification-controller\\n$`,
        ),
      );
    },
  );

  test('a cluster without an OIDC issuer, and one with workload identity disabled', BOUND, async () => {
    let rows = await walk(controller(mapped({ 'clusters/staging': AKS_LEGACY })).readiness);
    const staging = clusterRows(rows, 'staging').filter((r) => r.text.startsWith('Federated credential'));
    assert.ok(staging.length >= 4, render(rows));
    for (const r of staging)
      assert.match(
        r.text,
        /✗ .* — AKS cluster aks-fleet-legacy has no OIDC issuer \(oidcIssuerProfile\.enabled is false\)/,
      );
    const fix = under(rows, staging[0]!).find((r) => r.text.startsWith('Fix — '))!;
    assert.equal(
      fix.text,
      'Fix — az aks update --resource-group rg-fleet-staging --name aks-fleet-legacy --enable-oidc-issuer --enable-workload-identity',
    );
    assert.equal(fix.contextValue, 'azureDetail.copy');

    rows = await walk(controller(mapped({ 'clusters/staging': AKS_NOWI })).readiness);
    // notification-controller gets its identity from the webhook (ServiceAccount annotation): it cannot work.
    assert.match(
      find(rows, /^Federated credential for notification-controller \(clusters\/staging\) — /).text,
      /✗ id-flux-staging-notifications — AKS cluster aks-fleet-nowi has workload identity disabled \(securityProfile\.workloadIdentity\.enabled is false\)/,
    );
    // source-controller's token is wired by hand (projected volume, env): only its issuer matters.
    assert.match(
      find(rows, /^Federated credential for source-controller \(clusters\/staging\) — /).text,
      /✗ id-flux-staging-source — issuer differs: credential 'source-controller-staging' has '.*3b9d4c5e-staging\/', the token carries '.*5a6b7c8d-nowi\/'$/,
    );
  });

  test('403 on listing credentials is ?, saying why; a 429 with Retry-After is waited out', BOUND, async () => {
    standIn.fault(IDENTITY_PATH('id-team-web-git'), {
      kind: 'status',
      status: 403,
      code: 'AuthorizationFailed',
      message:
        "The client does not have authorization to perform action 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/read'.",
    });
    standIn.throttle(IDENTITY_PATH('id-flux-prod-sops'), 1, 1);
    const before = standIn.requests.length;
    const rows = await walk(controller().readiness);
    assert.match(
      find(rows, /^Federated credential for ServiceAccount podinfo\/podinfo-git — /).text,
      /\? id-team-web-git — Cannot read the federated credentials of id-team-web-git: No permission \(AuthorizationFailed\): The client does not have authorization/,
    );
    assert.match(
      find(rows, /^Federated credential for ServiceAccount flux-system\/sops-decryptor — /).text,
      /✓ id-flux-prod-sops — Federated credential 'sops-decryptor-prod' matches/,
    );
    const sops = standIn.requests.slice(before).filter((r) => IDENTITY_PATH('id-flux-prod-sops').test(r.path));
    assert.deepEqual(
      sops.map((r) => r.status),
      [429, 200],
    );
  });
});

describe('Resource modes', () => {
  const sopsPrincipal = principalOf('4ce084e3-b74e-430f-b5c9-2f8728de55b2');

  test('a Key Vault on access policies: ✓ with key decrypt, ✗ without (and the role does nothing)', BOUND, async () => {
    RESOURCE_PROPERTIES[VAULT_PROD] = {
      enableRbacAuthorization: false,
      accessPolicies: [
        { tenantId: T1, objectId: sopsPrincipal, permissions: { keys: ['get', 'decrypt'], secrets: [] } },
      ],
    };
    let rows = await walk(controller().readiness);
    const ok = find(rows, /^Secret flux-system\/receiver-token — ✓ AKV kv-fleet-prod/);
    assert.match(
      ok.text,
      /— Access policy grants key decrypt \(vault kv-fleet-prod uses access policies, not Azure RBAC\)$/,
    );
    assert.ok(under(rows, ok).some((r) => r.text === 'Permission model — Access policies (not Azure RBAC)'));

    RESOURCE_PROPERTIES[VAULT_PROD] = {
      enableRbacAuthorization: false,
      accessPolicies: [{ tenantId: T1, objectId: sopsPrincipal, permissions: { keys: ['get', 'list'] } }],
    };
    rows = await walk(controller().readiness);
    const missing = find(rows, /^Secret flux-system\/receiver-token — ✗ AKV kv-fleet-prod/);
    assert.match(
      missing.text,
      /— Vault kv-fleet-prod uses access policies, not Azure RBAC \(Key Vault Crypto Officer do nothing there\): no access policy grants the identity key decrypt \(it has get, list\)$/,
    );
    assert.ok(
      under(rows, missing).some(
        (r) =>
          r.text ===
          `Fix — az keyvault set-policy --name kv-fleet-prod --object-id ${sopsPrincipal} --key-permissions get decrypt`,
      ),
      render(under(rows, missing)),
    );
  });

  test('an ACR in ABAC repository-permission mode: AcrPull is not enough', BOUND, async () => {
    RESOURCE_PROPERTIES[REGISTRY] = { roleAssignmentMode: 'AbacRepositoryPermissions' };
    const rows = await walk(controller().readiness);
    const podinfo = find(rows, /^OCIRepository podinfo\/podinfo — /);
    assert.match(
      podinfo.text,
      /— ✗ ACR contosofleet\.azurecr\.io — Registry uses ABAC repository permissions: Missing Container Registry Repository Reader on contosofleet\.azurecr\.io \(holds AcrPull, which registries in ABAC repository-permissions mode ignore\)$/,
    );
    const details = under(rows, podinfo).map((r) => r.text);
    assert.ok(details.includes('Permission model — ABAC repository permissions'), details.join('\n'));
    assert.ok(details.some((t) => t.startsWith('Grant — Container Registry Repository Reader on /subscriptions/')));
  });

  test(
    'shared keys and SAS connection strings: storage shared-key access and Event Hubs local auth',
    BOUND,
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'flux-azure-local-auth-'));
      try {
        mkdirSync(join(dir, 'infra'));
        writeFileSync(
          join(dir, 'infra', 'static.yaml'),
          [
            'apiVersion: source.toolkit.fluxcd.io/v1',
            'kind: Bucket',
            'metadata: { name: fleet-config, namespace: platform }',
            'spec:',
            '  interval: 10m',
            '  provider: azure',
            '  bucketName: fleet-config',
            '  endpoint: https://stcontosofleetprod.blob.core.windows.net',
            '  secretRef: { name: storage-key }',
            '---',
            'apiVersion: v1',
            'kind: Secret',
            'metadata: { name: storage-key, namespace: platform }',
            'stringData:',
            '  accountKey: LEAKMARKERaccountkeyNotReal0000==',
            '---',
            'apiVersion: notification.toolkit.fluxcd.io/v1beta3',
            'kind: Provider',
            'metadata: { name: events, namespace: flux-system }',
            'spec:',
            '  type: azureeventhub',
            '  address: flux-events',
            '  secretRef: { name: eventhub-sas }',
            '---',
            'apiVersion: v1',
            'kind: Secret',
            'metadata: { name: eventhub-sas, namespace: flux-system }',
            'stringData:',
            '  address: Endpoint=sb://evhns-contoso-fleet-staging.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=LEAKMARKERsasNotReal=;EntityPath=flux-events',
            '',
          ].join('\n'),
        );
        const service = createFluxService({ roots: [dir] });
        const answer = await service.integrations();
        let rows = await walk(controller(answer).readiness);
        assert.match(
          find(rows, /^Bucket platform\/fleet-config — /).text,
          /✓ ABS .* — Storage account stcontosofleetprod allows shared-key access/,
        );
        assert.match(
          find(rows, /^Provider flux-system\/events — /).text,
          /✓ AEH evhns-contoso-fleet-staging — Event Hubs namespace evhns-contoso-fleet-staging accepts SAS/,
        );

        RESOURCE_PROPERTIES[STORAGE_PROD] = { allowSharedKeyAccess: false };
        RESOURCE_PROPERTIES[EVENTHUBS_STAGING] = { disableLocalAuth: true };
        rows = await walk(controller(answer).readiness);
        const bucket = find(rows, /^Bucket platform\/fleet-config — /);
        assert.match(
          bucket.text,
          /✗ ABS https:\/\/stcontosofleetprod\.blob\.core\.windows\.net — Storage account stcontosofleetprod disallows shared-key access \(allowSharedKeyAccess: false\): the account key in Secret platform\/storage-key is refused/,
        );
        assert.ok(
          under(rows, bucket).some(
            (r) =>
              r.text ===
              'Fix — az storage account update --name stcontosofleetprod --resource-group rg-fleet-prod --allow-shared-key-access true',
          ),
        );
        const provider = find(rows, /^Provider flux-system\/events — /);
        assert.match(
          provider.text,
          /✗ AEH evhns-contoso-fleet-staging — Event Hubs namespace evhns-contoso-fleet-staging has local \(SAS\) authentication disabled \(disableLocalAuth: true\): the connection string in Secret flux-system\/eventhub-sas is refused/,
        );
        // The credentials themselves never reach the tree.
        assert.ok(
          rows.every((r) => !r.shown.includes('LEAKMARKER')),
          render(rows),
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

describe('Live diagnostics', () => {
  test('✗ and ? results land on the manifest lines they concern, with their fixes', BOUND, async () => {
    const c = controller(mapped({ 'clusters/production': AKS_PROD, 'clusters/staging': AKS_STAGING }));
    await walk(c.readiness);
    const findings = liveFindings(c.readiness.rows!, c.readiness.federation!);
    assert.equal(LIVE_SOURCE, 'Flux on Azure (live)');
    // The subject typo: on the ServiceAccount (its name line) in apps/staging/canary.yaml.
    const canary = findings.find((f) => f.code === 'federation-missing' && /podinfo-canery/.test(f.message));
    assert.ok(
      canary,
      JSON.stringify(
        findings.map((f) => f.message),
        null,
        1,
      ),
    );
    assert.match(canary.location.uri, /apps\/staging\/canary\.yaml$/);
    assert.equal(canary.location.range.start.line, 6, 'the ServiceAccount name line (0-based)');
    assert.equal(canary.severity, 'warning');
    assert.deepEqual(canary.fixes, ['federatedCredential']);
    assert.match(canary.message, /^✗ Federated credential \(clusters\/staging\): subject differs/);
    // A missing role: on the object, with the grant fix.
    const charts = findings.find((f) => f.code === 'readiness-missing' && /Missing AcrPull/.test(f.message));
    assert.ok(charts);
    assert.deepEqual(charts.fixes, ['grant']);
    assert.match(charts.message, /\[clusters\/staging\]$/);
    // What the manifests alone decide (Azure DevOps, unknown targets) stays the language server's.
    assert.ok(findings.every((f) => !/Azure DevOps is not Azure RBAC/.test(f.message)));
    // Nothing when Azure was not asked.
    assert.deepEqual(
      liveFindings(
        c.readiness.rows!.map((r) => ({ ...r, result: undefined })),
        [],
      ),
      [],
    );
  });
});
