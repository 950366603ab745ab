import {
  CONTROLLER_CERT_SECRET_KEYS,
  controllerByName,
  ENV_CLIENT_CERTIFICATE_PATH,
  FLUX_NAMESPACE,
  inRange,
  REMOVED_CONTROLLER_FLAGS,
} from '../../catalog';
import { isScalar, nodeAt, textAt } from '../../document/nodes';
import { readControllerPatches } from '../../workspace/controllerPatches';
import { isKustomizeFile } from '../../workspace/facts';
import type { Finding, Rule } from './rule';

/**
 * Rules 14 and 21, and the flags Flux removed: controller-level application certificates (not for the ACR-only
 * controller; the Secret must have the keys the patch mounts) and auto-login flags gone in 2.7.
 */
export const controllerCertificate: Rule = {
  name: 'controller-certificate',
  applies: isKustomizeFile,
  check: ({ doc, index, fluxVersion }) => {
    const findings: Finding[] = [];
    for (const p of readControllerPatches(doc, ['patches'])) {
      const certEnv = p.env.find((e) => e.name === ENV_CLIENT_CERTIFICATE_PATH);
      if (certEnv) {
        const unsupported = p.controllers.filter((c) => controllerByName(c)?.appCertificate.supported === false);
        if (unsupported.length > 0) {
          findings.push({
            code: 'flux-azure/app-cert-not-supported-for-acr',
            span: certEnv.nameNode,
            message: `${unsupported.join(', ')} only talks to ACR, and ACR does not accept application certificates: this identity will not be used. Use workload identity (or kubelet identity) for ACR.`,
          });
        }
      }
      // The Secret the certificate volume mounts must carry the keys the mount and env reference.
      for (const volume of p.volumes) {
        const secretName = textAt(volume, ['secret', 'secretName']);
        const volumeName = textAt(volume, ['name']);
        if (!secretName || !volumeName) continue;
        const wanted = new Map<string, ReturnType<typeof nodeAt>>();
        for (const m of p.volumeMounts) {
          const sub = nodeAt(m, ['subPath']);
          if (textAt(m, ['name']) === volumeName && isScalar(sub)) wanted.set(sub.text, sub);
        }
        for (const e of p.env) {
          const key = nodeAt(e.valueFrom, ['secretKeyRef', 'key']);
          if (textAt(e.valueFrom, ['secretKeyRef', 'name']) === secretName && isScalar(key)) wanted.set(key.text, key);
        }
        const secret = index.secrets(secretName, FLUX_NAMESPACE, doc.file.uri)[0];
        if (!secret || secret.sops) continue;
        for (const [key, node] of wanted) {
          if (secret.keys.includes(key) || !node) continue;
          findings.push({
            code: 'flux-azure/app-cert-secret-keys',
            span: node,
            message: `Secret '${secretName}' has no key '${key}' (keys: ${secret.keys.join(', ') || 'none'}); the controller pod cannot start because the mount or env reference fails. The docs name the keys '${CONTROLLER_CERT_SECRET_KEYS.certAndKey}' and '${CONTROLLER_CERT_SECRET_KEYS.keyPassword}'.`,
            related: [{ location: { uri: secret.uri, range: secret.range }, message: `Secret ${secret.name}` }],
          });
        }
      }
      for (const arg of p.args) {
        const removed = REMOVED_CONTROLLER_FLAGS.find((f) => arg.text.startsWith(f.flag));
        if (!removed || (fluxVersion && !inRange(fluxVersion, { since: removed.removedIn }))) continue;
        findings.push({
          code: 'flux-azure/acr-autologin-flag-removed',
          span: arg,
          message: `${removed.flag} was removed in Flux ${removed.removedIn}: the controller exits on the unknown flag. ${removed.replacement}`,
        });
      }
    }
    return findings;
  },
};
