import {
  ADO_GIT_URL_REGEX,
  EVENT_HUBS_CONNECTION_STRING_REGEX,
  findPlaceholders,
  PROVIDER_TYPES_WITH_SERVICE_ACCOUNT,
} from '../../catalog';
import { isFluxDoc, namespaceOf, removePair, replaceScalar } from './helpers';
import { adoHttpsUrl as adoFix } from './sourceFields';
import { pairAt } from '../../document/nodes';
import type { Finding, Rule } from './rule';

/** Rules 5, 9, 10: notification Provider fields for Azure DevOps and Event Hubs. */
export const notificationProvider: Rule = {
  name: 'notification-provider',
  applies: (doc) => isFluxDoc(doc, 'Provider'),
  check: ({ doc, index }) => {
    if (!doc.group.startsWith('notification.toolkit')) return [];
    const type = doc.text(['spec', 'type']);
    const sa = doc.scalar(['spec', 'serviceAccountName']);
    const address = doc.scalar(['spec', 'address']);
    const findings: Finding[] = [];
    if (sa && type && !(PROVIDER_TYPES_WITH_SERVICE_ACCOUNT as readonly string[]).includes(type)) {
      findings.push({
        code: 'flux-azure/provider-sa-unsupported-type',
        span: sa,
        message: `Provider type '${type}' does not use serviceAccountName (only ${PROVIDER_TYPES_WITH_SERVICE_ACCOUNT.join(', ')} do); it is ignored.`,
        fixes: [
          {
            title: 'Remove serviceAccountName',
            edits: removePair(doc, pairAt(doc.root, ['spec', 'serviceAccountName'])!),
          },
        ],
      });
    }
    // Static credentials in the referenced Secret conflict with workload identity.
    const secretName = doc.text(['spec', 'secretRef', 'name']);
    const secret = secretName ? index.secrets(secretName, namespaceOf(doc, index), doc.file.uri)[0] : undefined;
    if (sa && secret?.keys.includes('token')) {
      findings.push({
        code: 'flux-azure/provider-sa-with-static-credentials',
        span: sa,
        message: `Secret '${secret.name}' has a 'token' key and the Provider also sets serviceAccountName: notification-controller refuses to use both. Remove one of them.`,
        related: [{ location: { uri: secret.uri, range: secret.range }, message: `Secret ${secret.name}` }],
      });
    }
    if (
      type === 'azuredevops' &&
      address &&
      !ADO_GIT_URL_REGEX.test(address.text) &&
      findPlaceholders(address.text).length === 0
    ) {
      findings.push({
        code: 'flux-azure/ado-provider-address',
        span: address,
        message: `An azuredevops Provider address must be https://dev.azure.com/{org}/{project}/_git/{repo}; notification-controller cannot post commit statuses to '${address.text}'.`,
        fixes: adoFix(address.text)
          ? [
              {
                title: `Use ${adoFix(address.text)}`,
                edits: replaceScalar(doc, address, adoFix(address.text)!),
                preferred: true,
              },
            ]
          : [],
      });
    }
    if (type === 'azureeventhub') {
      const sas =
        (address && EVENT_HUBS_CONNECTION_STRING_REGEX.test(address.text)) || secret?.keys.includes('address');
      if (sas && sa) {
        findings.push({
          code: 'flux-azure/provider-sa-with-static-credentials',
          span: sa,
          message: `A SAS connection string and serviceAccountName cannot be combined for azureeventhub: remove serviceAccountName, or the SAS address, to pick one authentication method.`,
        });
      }
      // Workload identity: a ServiceAccount on the object, or no secretRef at all (controller identity). A secretRef to a
      // Secret outside the workspace may hold a SAS connection string, so nothing is said then.
      if (!sas && (sa || !secretName)) {
        const channel = doc.scalar(['spec', 'channel']);
        if (!channel || !address) {
          findings.push({
            code: 'flux-azure/eventhub-address-channel',
            span: doc.get(['spec', 'type']) ?? doc.root!,
            message:
              `With workload identity, an azureeventhub Provider needs address (the Event Hub name) and channel (the Event Hubs namespace): ` +
              `${!address ? 'address' : 'channel'} is missing, so events cannot be sent.`,
          });
        }
      }
    }
    return findings;
  },
};
