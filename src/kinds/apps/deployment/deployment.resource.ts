import { deepEqual } from '../../../registry/generic-store';
import { defineResource } from '../../../registry/resource-type';
import { defaultPodTemplate } from '../pod-template';
import { deploymentTable } from './deployment.table';
import type { Deployment } from './deployment.types';
import { validateDeployment, validateDeploymentUpdate } from './deployment.validation';

export type { Deployment } from './deployment.types';

const DEFAULT_ROLLING_PERCENT = '25%';

/**
 * apps/v1 Deployment (pkg/registry/apps/deployment): declarative rollouts through ReplicaSets,
 * carried out by the deployment reconciler.
 */
export const deploymentResource = defineResource<Deployment>({
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  plural: 'deployments',
  singular: 'deployment',
  namespaced: true,
  shortNames: ['deploy'],
  categories: ['all'],
  definition: 'io.k8s.api.apps.v1.Deployment',
  statusSubresource: true,
  generationFields: ['spec'],
  scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', selectorPath: 'spec.selector' },

  // The status strategy keeps only the spec and labels: the reconciler records the revision
  // annotation through /status without bumping the generation.
  subresourceWriters: {
    status(stored, requested) {
      stored.status = requested.status;
      stored.metadata.annotations = requested.metadata.annotations;
    },
  },

  applyDefaults(deployment) {
    const spec = deployment.spec;
    if (!spec || typeof spec !== 'object') return;
    // SetDefaults_Deployment: a rolling update gets 25% surge and unavailability unless set.
    if (spec.strategy?.type === 'RollingUpdate') {
      const rolling = (spec.strategy.rollingUpdate ??= {});
      rolling.maxUnavailable ??= DEFAULT_ROLLING_PERCENT;
      rolling.maxSurge ??= DEFAULT_ROLLING_PERCENT;
    }
    defaultPodTemplate(spec.template);
  },
  prepareForCreate(deployment) {
    deployment.status = {};
  },
  prepareForUpdate(deployment, old) {
    // Annotations are copied onto the ReplicaSets, so changing them is a new generation too.
    if (!deepEqual(deployment.metadata.annotations ?? {}, old.metadata.annotations ?? {})) {
      deployment.metadata.generation = (old.metadata.generation ?? 0) + 1;
    }
  },
  validate: validateDeployment,
  validateUpdate: validateDeploymentUpdate,

  table: deploymentTable,
});
