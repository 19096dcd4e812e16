/** The DefaultIngressClass admission plugin (plugin/pkg/admission/network/defaultingressclass). */
import type { KubeObject } from '../../../machinery/meta/types';
import type { AdmissionContext } from '../../../registry/resource-type';
import { DEFAULT_INGRESS_CLASS_ANNOTATION, INGRESS_CLASS_ANNOTATION, NETWORKING_GROUP, type Ingress } from '../networking.types';

/** Of several default classes the newest wins (then the name), as the plugin has chosen since 1.28. */
export function defaultIngressClassOf(classes: Iterable<KubeObject>): KubeObject | undefined {
  let best: KubeObject | undefined;
  for (const ic of classes) {
    if (ic.metadata.annotations?.[DEFAULT_INGRESS_CLASS_ANNOTATION] !== 'true' || ic.metadata.deletionTimestamp) continue;
    if (!best) {
      best = ic;
      continue;
    }
    const created = Date.parse(ic.metadata.creationTimestamp ?? '') || 0;
    const bestCreated = Date.parse(best.metadata.creationTimestamp ?? '') || 0;
    if (created > bestCreated || (created === bestCreated && (ic.metadata.name ?? '') < (best.metadata.name ?? ''))) best = ic;
  }
  return best;
}

/** An Ingress that names no class, neither in its spec nor by the old annotation, gets the default class. */
export function admitIngress(ingress: Ingress, context: AdmissionContext): void {
  if (ingress.spec?.ingressClassName || ingress.metadata.annotations?.[INGRESS_CLASS_ANNOTATION] !== undefined) return;
  const found = defaultIngressClassOf(context.objectsOf(NETWORKING_GROUP, 'ingressclasses'));
  if (found) (ingress.spec ??= {}).ingressClassName = found.metadata.name;
}
