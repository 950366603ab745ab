import { ANNOTATION_CLIENT_ID, ENV_CLIENT_ID, serviceById } from '../../catalog';
import { controllerIdentitySetting, fluxObjectRule, knownInstalls } from './helpers';
import type { Rule } from './rule';

/**
 * Rule 15: an object that authenticates to a service other than ACR with the controller's identity (provider or type
 * selects Azure, no serviceAccountName, no secretRef), in a cluster whose flux-system configuration gives that
 * controller no identity. The controller would then fall back to the node's (kubelet) identity, which Flux documents
 * and tests only for ACR. Clusters whose Flux installation the workspace does not show stay silent.
 */
export const nodeLevelIdentity: Rule = fluxObjectRule(
  'node-level-identity-non-acr',
  ({ doc, clusters, isPlaceholder }, lookup) => {
    if (doc.get(['spec', 'secretRef'])) return [];
    const findings = [];
    for (const use of lookup.def.workloadIdentity) {
      if (use.via || !use.requires || use.service === 'acr') continue;
      const selector = doc.scalar(use.requires.path);
      if (!selector || !use.requires.values.includes(selector.text)) continue;
      const serviceAccount = doc.scalar(use.serviceAccountField);
      if (serviceAccount && serviceAccount.text !== '' && !isPlaceholder(serviceAccount.text)) continue;
      const controller = lookup.def.controller;
      const without = knownInstalls(clusters, controller).filter((c) => !controllerIdentitySetting(c, controller));
      if (without.length === 0) continue;
      const service = serviceById(use.service)?.name ?? use.service;
      findings.push({
        code: 'flux-azure/node-level-identity-non-acr' as const,
        span: selector,
        message:
          `This ${doc.kind} logs in to ${service} with ${controller}'s identity (no serviceAccountName, no secretRef), ` +
          `but ${without.map((c) => `\`${c.label}\``).join(', ')} gives ${controller} no Azure identity ` +
          `(no ${ANNOTATION_CLIENT_ID} annotation or ${ENV_CLIENT_ID} in its configuration). Unless it is set up ` +
          `outside this repository, the login falls back to the node's kubelet identity, which Flux supports only for ACR. ` +
          `Configure workload identity for ${controller}, or set serviceAccountName on this object.`,
      });
    }
    return findings;
  },
);
