/** notification.toolkit.fluxcd.io: the alert Provider (Azure DevOps commit status, Event Hubs, Teams). */
import { FLUX_API_GROUPS } from '../apiGroups';
import { FLUX_API_DOCS, fluxAzureDocs } from '../docs';
import { azureField, certSecretRef, field, preferred, proxySecretRef, secretRef, servedUntil } from './fields';
import { serviceAccountIdentity, serviceAccountName, suspend, timeout } from './fields';
import type { EnumValueDef, KindShape } from './fields';

// Provider `.spec.type` enum (notification-controller, v1beta3)

const PROVIDER_TYPES: readonly EnumValueDef[] = [
  { value: 'slack', description: 'Slack incoming webhook or bot token.' },
  { value: 'discord', description: 'Discord webhook.' },
  {
    value: 'msteams',
    description: 'Microsoft Teams Workflows webhook (no Entra ID; `channel` unsupported).',
    azure: true,
  },
  { value: 'rocket', description: 'Rocket.Chat webhook.' },
  { value: 'generic', description: 'Plain HTTP POST of the event JSON.' },
  { value: 'generic-hmac', description: 'HTTP POST signed with an HMAC from the Secret `token`.' },
  { value: 'github', description: 'GitHub commit status.' },
  { value: 'gitlab', description: 'GitLab commit status.' },
  { value: 'gitea', description: 'Gitea commit status.' },
  { value: 'giteapullrequestcomment', description: 'Comment on a Gitea pull request.', versions: { since: '2.8' } },
  { value: 'bitbucketserver', description: 'Bitbucket Server / Data Center commit status.' },
  { value: 'bitbucket', description: 'Bitbucket Cloud commit status.' },
  {
    value: 'azuredevops',
    description:
      'Azure DevOps commit status. Auth: Secret `token` (PAT) or Entra ID (controller level; object level via `serviceAccountName` since Flux 2.7).',
    azure: true,
  },
  { value: 'googlechat', description: 'Google Chat webhook.' },
  { value: 'googlepubsub', description: 'Google Cloud Pub/Sub topic.' },
  { value: 'webex', description: 'Webex room message.' },
  { value: 'sentry', description: 'Sentry event.' },
  {
    value: 'azureeventhub',
    description:
      'Azure Event Hubs. Auth: SAS connection string in Secret `address`, or Entra ID (`address` = hub name, `channel` = namespace; object level via `serviceAccountName` since Flux 2.6).',
    azure: true,
  },
  { value: 'telegram', description: 'Telegram bot message.' },
  { value: 'lark', description: 'Lark webhook.' },
  { value: 'matrix', description: 'Matrix room message.' },
  { value: 'opsgenie', description: 'Opsgenie alert.' },
  { value: 'alertmanager', description: 'Prometheus Alertmanager.' },
  { value: 'grafana', description: 'Grafana annotation.' },
  { value: 'githubdispatch', description: 'GitHub repository_dispatch event.' },
  { value: 'githubpullrequestcomment', description: 'Comment on a GitHub pull request.', versions: { since: '2.8' } },
  { value: 'gitlabmergerequestcomment', description: 'Comment on a GitLab merge request.', versions: { since: '2.8' } },
  { value: 'pagerduty', description: 'PagerDuty event.' },
  { value: 'datadog', description: 'Datadog event.' },
  { value: 'nats', description: 'NATS subject.' },
  { value: 'zulip', description: 'Zulip stream message.', versions: { since: '2.7' } },
  { value: 'otel', description: 'OpenTelemetry traces.', versions: { since: '2.7' } },
  {
    value: 'zoom',
    description: 'Zoom chat webhook (on notification-controller main after Flux 2.9; not in a 2.9 release).',
    versions: { since: '2.10' },
  },
  {
    value: 'incident.io',
    description: 'incident.io alert (on notification-controller main after Flux 2.9; not in a 2.9 release).',
    versions: { since: '2.10' },
  },
];

/** Provider types whose `serviceAccountName` means something (workload identity). */
export const PROVIDER_TYPES_WITH_SERVICE_ACCOUNT = ['azureeventhub', 'azuredevops', 'googlepubsub'] as const;

const NOTIFICATION = { controller: 'notification-controller' } as const;

export const NOTIFICATION_KINDS = [
  {
    kind: 'Provider',
    group: FLUX_API_GROUPS.notification,
    apiVersions: [preferred('v1beta3'), servedUntil('v1beta2', '2.9'), servedUntil('v1beta1', '2.7')],
    controller: 'notification-controller',
    services: ['azureDevOps', 'eventHubs', 'teams'],
    summary: 'Destination for Flux alerts (chat, commit status, event stream).',
    azureWhen:
      '`spec.type` is `azuredevops` (commit status), `azureeventhub` (Event Hubs) or `msteams` (Teams webhook, no Entra ID).',
    fields: [
      azureField(['spec', 'type'], 'string', 'Which notifier to use.', { enum: PROVIDER_TYPES, required: true }),
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
