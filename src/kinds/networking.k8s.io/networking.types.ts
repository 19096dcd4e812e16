/** The wire shapes of networking.k8s.io/v1 Ingress, IngressClass and NetworkPolicy, as far as kubemu reads them. */
import type { KubeObject } from '../../machinery/meta/types';
import type { LabelSelectorObject } from '../../machinery/selectors/label-selector';

export const NETWORKING_GROUP = 'networking.k8s.io';

export interface TypedLocalObjectReference {
  apiGroup?: string | null;
  kind?: string;
  name?: string;
}

export interface IngressBackend {
  service?: { name?: string; port?: { name?: string; number?: number } };
  resource?: TypedLocalObjectReference;
}

export interface HTTPIngressPath {
  path?: string;
  pathType?: string | null;
  backend?: IngressBackend;
}

export interface IngressRule {
  host?: string;
  http?: { paths?: HTTPIngressPath[] | null };
}

export interface IngressTLS {
  hosts?: string[];
  secretName?: string;
}

export interface LoadBalancerIngress {
  ip?: string;
  hostname?: string;
}

export interface Ingress extends KubeObject {
  spec?: {
    ingressClassName?: string | null;
    defaultBackend?: IngressBackend | null;
    tls?: IngressTLS[];
    rules?: IngressRule[] | null;
  };
  status?: { loadBalancer?: { ingress?: LoadBalancerIngress[] } };
}

export interface IngressClassParameters extends TypedLocalObjectReference {
  scope?: string | null;
  namespace?: string | null;
}

export interface IngressClass extends KubeObject {
  spec?: { controller?: string; parameters?: IngressClassParameters | null };
}

export interface NetworkPolicyPort {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}

export interface NetworkPolicyPeer {
  podSelector?: LabelSelectorObject | null;
  namespaceSelector?: LabelSelectorObject | null;
  ipBlock?: { cidr?: string; except?: string[] } | null;
}

export interface NetworkPolicy extends KubeObject {
  spec?: {
    podSelector?: LabelSelectorObject;
    ingress?: { ports?: NetworkPolicyPort[]; from?: NetworkPolicyPeer[] }[];
    egress?: { ports?: NetworkPolicyPort[]; to?: NetworkPolicyPeer[] }[];
    policyTypes?: string[];
  };
}

/** The annotation that marks the IngressClass new Ingresses without a class get. */
export const DEFAULT_INGRESS_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
/** The class annotation Ingresses carried before spec.ingressClassName. */
export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
