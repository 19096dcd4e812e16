/**
 * ServiceAccount rules. ValidateServiceAccount checks nothing beyond ObjectMeta (a DNS-1123 subdomain
 * name, which the generic metadata validation covers), so there is no rules class here; what the
 * strategy does instead is normalize the secret references.
 */
import type { ServiceAccount } from './serviceaccount.resource';

/** cleanSecretReferences: a ServiceAccount's secrets are kept as bare names. */
export function cleanSecretReferences(sa: ServiceAccount): void {
  if (!Array.isArray(sa.secrets)) return;
  sa.secrets = sa.secrets.map((ref) => {
    if (typeof ref !== 'object' || ref === null) return ref;
    return ref.name === undefined ? {} : { name: ref.name };
  });
}
