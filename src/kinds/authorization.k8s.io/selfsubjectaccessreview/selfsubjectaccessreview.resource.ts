import { FieldError } from '../../../machinery/errors/status-error';
import type { KubeObject } from '../../../machinery/meta/types';
import { defineResource } from '../../../registry/resource-type';

interface SelfSubjectAccessReview extends KubeObject {
  spec?: { resourceAttributes?: Record<string, unknown>; nonResourceAttributes?: Record<string, unknown> };
  status?: { allowed: boolean; denied?: boolean; reason?: string; evaluationError?: string };
}

/**
 * `kubectl auth can-i`: asks whether the caller may do something. kubemu serves without
 * authorization by default, so every request is allowed — what an RBAC cluster says to a
 * cluster-admin.
 */
export const selfSubjectAccessReviewResource = defineResource<SelfSubjectAccessReview>({
  group: 'authorization.k8s.io',
  version: 'v1',
  kind: 'SelfSubjectAccessReview',
  plural: 'selfsubjectaccessreviews',
  singular: 'selfsubjectaccessreview',
  namespaced: false,
  verbs: ['create'],
  definition: 'io.k8s.api.authorization.v1.SelfSubjectAccessReview',
  validate(review) {
    const spec = review.spec ?? {};
    const has = (v: unknown) => v !== undefined && v !== null;
    if (has(spec.resourceAttributes) === has(spec.nonResourceAttributes)) {
      return [FieldError.invalid('spec.resourceAttributes', spec.resourceAttributes ?? null, 'exactly one of nonResourceAttributes or resourceAttributes must be specified')];
    }
    return [];
  },
  review: (review) => ({ ...review, status: { allowed: true, reason: 'kubemu serves without authorization' } }),
});
