/** The wire shape of apps/v1 DaemonSet, as far as the strategy, printer and reconciler read it. */
import type { KubeObject } from '../../../machinery/meta/types';
import type { LabelSelectorObject } from '../../../machinery/selectors/label-selector';
import type { IntOrString } from '../deployment/deployment.types';
import type { PodTemplateSpec } from '../pod-template';

export interface DaemonSetUpdateStrategy {
  type?: string;
  rollingUpdate?: { maxUnavailable?: IntOrString; maxSurge?: IntOrString } | null;
}

export interface DaemonSetSpec {
  selector?: LabelSelectorObject;
  template?: PodTemplateSpec;
  updateStrategy?: DaemonSetUpdateStrategy;
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
}

export interface DaemonSetStatus {
  currentNumberScheduled?: number;
  numberMisscheduled?: number;
  desiredNumberScheduled?: number;
  numberReady?: number;
  observedGeneration?: number;
  updatedNumberScheduled?: number;
  numberAvailable?: number;
  numberUnavailable?: number;
  collisionCount?: number;
  conditions?: { type: string; status: string; lastTransitionTime?: string; reason?: string; message?: string }[];
}

export interface DaemonSet extends KubeObject {
  spec?: DaemonSetSpec;
  status?: DaemonSetStatus;
}

/** The template generation the strategy keeps in an annotation (apps/v1 has no spec.templateGeneration). */
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';
export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';
export const REVISION_HASH_LABEL = 'controller-revision-hash';
