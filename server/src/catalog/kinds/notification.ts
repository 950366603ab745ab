/** notification.toolkit.fluxcd.io: the alert Provider (Azure DevOps commit status, Event Hubs, Teams). */
import { FLUX_API_GROUPS } from '../apiGroups';
import { FLUX_API_DOCS, fluxAzureDocs } from '../docs';
import { azureField, certSecretRef, crdApiVersions, crdEnum, field, proxySecretRef, secretRef } from './fields';
import { serviceAccountIdentity, serviceAccountName, suspend, timeout } from './fields';
import type { EnumValueText, KindShape } from './fields';

const GROUP = FLUX_API_GROUPS.notification;

// Provider `.spec.type` enum (notification-controller, v1beta3)

/** Descriptions of the `.spec.type` values; which Flux versions have each comes from the CRD tables. */
const PROVIDER_TYPES: Readonly<Record<string, EnumValueText>> = {
  slack: { description: 'Slack incoming webhook or bot token.' },
  discord: { description: 'Discord webhook.' },
  msteams: { description: 'Microsoft Teams Workflows webhook (no Entra ID; `channel` unsupported).', azure: true },
  rocket: { description: 'Rocket.Chat webhook.' },
  generic: { description: 'Plain HTTP POST of the event JSON.' },
  'generic-hmac': { description: 'HTTP POST signed with an HMAC from the Secret `token`.' },
  github: { description: 'GitHub commit status.' },
  gitlab: { description: 'GitLab commit status.' },
  gitea: { description: 'Gitea commit status.' },
  giteapullrequestcomment: { description: 'Comment on a Gitea pull request.' },
  bitbucketserver: { description: 'Bitbucket Server / Data Center commit status.' },
  bitbucket: { description: 'Bitbucket Cloud commit status.' },
  azuredevops: {
    description:
      'Azure DevOps commit status. Auth: Secret `token` (PAT) or Entra ID (controller level; object level via `serviceAccountName` since Flux 2.7).',
    azure: true,
  },
  googlechat: { description: 'Google Chat webhook.' },
  googlepubsub: { description: 'Google Cloud Pub/Sub topic.' },
  webex: { description: 'Webex room message.' },
  sentry: { description: 'Sentry event.' },
  azureeventhub: {
    description:
      'Azure Event Hubs. Auth: SAS connection string in Secret `address`, or Entra ID (`address` = hub name, `channel` = namespace; object level via `serviceAccountName` since Flux 2.6).',
    azure: true,
  },
  telegram: { description: 'Telegram bot message.' },
  lark: { description: 'Lark webhook.' },
  matrix: { description: 'Matrix room message.' },
  opsgenie: { description: 'Opsgenie alert.' },
  alertmanager: { description: 'Prometheus Alertmanager.' },
  grafana: { description: 'Grafana annotation.' },
  githubdispatch: { description: 'GitHub repository_dispatch event.' },
  githubpullrequestcomment: { description: 'Comment on a GitHub pull request.' },
  gitlabmergerequestcomment: { description: 'Comment on a GitLab merge request.' },
  pagerduty: { description: 'PagerDuty event.' },
  datadog: { description: 'Datadog event.' },
  nats: { description: 'NATS subject.' },
  zulip: { description: 'Zulip stream message.' },
  otel: { description: 'OpenTelemetry traces.' },
  zoom: {
    description: 'Zoom chat webhook (on notification-controller main after Flux 2.9; not in a 2.9 release).',
    versions: { since: '2.10' },
  },
  'incident.io': {
    description: 'incident.io alert (on notification-controller main after Flux 2.9; not in a 2.9 release).',
    versions: { since: '2.10' },
  },
};

/** Provider types whose `serviceAccountName` means something (workload identity). */
export const PROVIDER_TYPES_WITH_SERVICE_ACCOUNT = ['azureeventhub', 'azuredevops', 'googlepubsub'] as const;

const NOTIFICATION = { controller: 'notification-controller' } as const;

export const NOTIFICATION_KINDS = [
  {
    kind: 'Provider',
    group: GROUP,
    apiVersions: crdApiVersions(GROUP, 'Provider'),
    controller: 'notification-controller',
    services: ['azureDevOps', 'eventHubs', 'teams'],
    summary: 'Destination for Flux alerts (chat, commit status, event stream).',
    azureWhen:
      '`spec.type` is `azuredevops` (commit status), `azureeventhub` (Event Hubs) or `msteams` (Teams webhook, no Entra ID).',
    fields: [
      azureField(['spec', 'type'], 'string', 'Which notifier to use.', {
        enum: crdEnum(GROUP, 'Provider', ['spec', 'type'], PROVIDER_TYPES),
        required: true,
      }),
      azureField(
        ['spec', 'address'],
        'string',
        'Meaning depends on `type`. `azuredevops`: `https://dev.azure.com/{org}/{project}/_git/{repo}`. `azureeventhub` with Entra ID: the **event hub name**. `msteams`: webhook URL (or put it in the Secret key `address`).',
        { maxLength: 2048 },
      ),
      azureField(
        ['spec', 'channel'],
        'string',
        '`azureeventhub` with Entra ID: the **Event Hubs namespace** (short name gets the cloud suffix from `AZURE_AUTHORITY_HOST`, or a full `*.servicebus.*` host). Not used by `msteams`.',
        { maxLength: 2048 },
      ),
      field(['spec', 'username'], 'string', 'Display name for chat providers.', { maxLength: 2048 }),
      serviceAccountName(
        'ServiceAccount whose workload-identity annotations name the managed identity. Meaningful for `azureeventhub` (Flux 2.6+), `azuredevops` (2.7+) and `googlepubsub`; an error if the Secret also holds static credentials. Needs the `ObjectLevelWorkloadIdentity` gate on notification-controller.',
        { versions: { since: '2.6' } },
      ),
      ...secretRef(
        'Secret with `address`, `token`, `username`, `password` or `headers`. `azuredevops`: `token` = PAT. `azureeventhub`: `address` = SAS connection string (or deprecated JWT `token`).',
        true,
      ),
      ...proxySecretRef({ versions: { since: '2.7' } }),
      field(['spec', 'proxy'], 'string', 'Proxy URL.', { deprecated: 'Use `proxySecretRef`.' }),
      ...certSecretRef('Secret with `ca.crt` (and optionally `tls.crt`/`tls.key`).'),
      timeout('sending an alert', '15s'),
      suspend(),
      field(
        ['spec', 'commitStatusExpr'],
        'string',
        'CEL expression producing the commit-status key; only for git providers including `azuredevops`.',
      ),
      field(['spec', 'interval'], 'duration', 'Unused in v1beta3.', { deprecated: 'Not used by v1beta3.' }),
    ],
    workloadIdentity: [
      serviceAccountIdentity(
        'providerEventHub',
        { ...NOTIFICATION, service: 'eventHubs', since: '2.6' },
        'Send to Event Hubs',
        'azureeventhub',
      ),
      serviceAccountIdentity(
        'providerAzureDevOps',
        { ...NOTIFICATION, service: 'azureDevOps', since: '2.7' },
        'Write Azure DevOps commit statuses',
        'azuredevops',
      ),
    ],
    controllerLevel:
      'No `secretRef` credentials and no `serviceAccountName`: notification-controller uses its own identity.',
    docs: { azure: fluxAzureDocs('eventHubs'), api: FLUX_API_DOCS.Provider },
  },
] as const satisfies readonly KindShape[];
