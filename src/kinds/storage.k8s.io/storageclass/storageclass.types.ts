/** The wire shape of storage.k8s.io/v1 StorageClass, as far as the strategy, printer and binder read it. */
import type { KubeObject } from '../../../machinery/meta/types';

export interface StorageClass extends KubeObject {
  provisioner?: string;
  parameters?: Record<string, string>;
  reclaimPolicy?: string;
  mountOptions?: string[];
  allowVolumeExpansion?: boolean;
  volumeBindingMode?: string;
  allowedTopologies?: unknown[];
}

export const IS_DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
const BETA_IS_DEFAULT_CLASS_ANNOTATION = 'storageclass.beta.kubernetes.io/is-default-class';

/** storageutil.IsDefaultAnnotation: the GA or the beta annotation says "true". */
export function isDefaultClass(sc: KubeObject): boolean {
  const annotations = sc.metadata.annotations ?? {};
  return annotations[IS_DEFAULT_CLASS_ANNOTATION] === 'true' || annotations[BETA_IS_DEFAULT_CLASS_ANNOTATION] === 'true';
}

/**
 * GetDefaultClass: of several default classes the newest wins (then the name, for a stable
 * answer), as the DefaultStorageClass admission plugin has chosen since 1.26.
 */
export function defaultClassOf(classes: Iterable<KubeObject>): StorageClass | undefined {
  let best: StorageClass | undefined;
  for (const sc of classes) {
    if (!isDefaultClass(sc) || sc.metadata.deletionTimestamp) continue;
    if (!best) {
      best = sc as StorageClass;
      continue;
    }
    const created = Date.parse(sc.metadata.creationTimestamp ?? '') || 0;
    const bestCreated = Date.parse(best.metadata.creationTimestamp ?? '') || 0;
    if (created > bestCreated || (created === bestCreated && (sc.metadata.name ?? '') < (best.metadata.name ?? ''))) best = sc as StorageClass;
  }
  return best;
}

export const BINDING_IMMEDIATE = 'Immediate';
export const BINDING_WAIT_FOR_FIRST_CONSUMER = 'WaitForFirstConsumer';
