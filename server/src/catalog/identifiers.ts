/**
 * Shapes of identifiers that recur across Azure and Kubernetes manifests.
 */

/** A GUID/UUID in its canonical 8-4-4-4-12 hex form (any case). */
export const GUID_PATTERN = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
export const GUID_REGEX = new RegExp(`^${GUID_PATTERN}$`);

/** The all-zero GUID; legitimate only as the ACR token username, a placeholder everywhere else. */
export const ZERO_GUID = '00000000-0000-0000-0000-000000000000';

/** True when `text` is a GUID. */
export function isGuid(text: string): boolean {
  return GUID_REGEX.test(text.trim());
}

/** Kubernetes object name (DNS-1123 subdomain, as used for ServiceAccounts and Secrets). */
export const K8S_NAME_REGEX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
