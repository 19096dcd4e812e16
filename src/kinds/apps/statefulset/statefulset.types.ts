/** The wire shape of apps/v1 StatefulSet, as far as the strategy, printer and reconciler read it. */
import type { KubeObject } from '../../../machinery/meta/types';
import type { LabelSelectorObject } from '../../../machinery/selectors/label-selector';
import type { PersistentVolumeClaim } from '../../core/persistentvolume/persistentvolume.types';
import type { PodTemplateSpec } from '../pod-template';

export interface StatefulSetUpdateStrategy {
  type?: string;
  rollingUpdate?: { partition?: number; maxUnavailable?: number | string } | null;
}

export interface StatefulSetSpec {
  replicas?: number;
  selector?: LabelSelectorObject;
  template?: PodTemplateSpec;
  volumeClaimTemplates?: PersistentVolumeClaim[];
  serviceName?: string;
  podManagementPolicy?: string;
  updateStrategy?: StatefulSetUpdateStrategy;
  revisionHistoryLimit?: number;
  minReadySeconds?: number;
  persistentVolumeClaimRetentionPolicy?: { whenDeleted?: string; whenScaled?: string };
  ordinals?: { start?: number } | null;
}

export interface StatefulSetCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface StatefulSetStatus {
  observedGeneration?: number;
  replicas?: number;
  readyReplicas?: number;
  currentReplicas?: number;
  updatedReplicas?: number;
  currentRevision?: string;
  updateRevision?: string;
  collisionCount?: number;
  conditions?: StatefulSetCondition[];
  availableReplicas?: number;
}

export interface StatefulSet extends KubeObject {
  spec?: StatefulSetSpec;
  status?: StatefulSetStatus;
}

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
export const CONTROLLER_REVISION_HASH_LABEL = 'controller-revision-hash';
/** The label StatefulSet revisions carry their hash in (history.ControllerRevisionHashLabel). */
export const REVISION_HASH_LABEL = 'controller.kubernetes.io/hash';
