import type { KubeObject } from '../../../machinery/meta/types';
import { defineResource } from '../../../registry/resource-type';

interface SelfSubjectReview extends KubeObject {
  status?: { userInfo?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> } };
}

/** The identity requests are served as when no authentication is configured: an administrator. */
export const KUBEMU_ADMIN = { username: 'kubemu-admin', groups: ['system:masters', 'system:authenticated'] };

/** `kubectl auth whoami`: tells the caller who the server thinks it is. */
export const selfSubjectReviewResource = defineResource<SelfSubjectReview>({
  group: 'authentication.k8s.io',
  version: 'v1',
  kind: 'SelfSubjectReview',
  plural: 'selfsubjectreviews',
  singular: 'selfsubjectreview',
  namespaced: false,
  verbs: ['create'],
  definition: 'io.k8s.api.authentication.v1.SelfSubjectReview',
  review: (review) => ({ ...review, status: { userInfo: { ...KUBEMU_ADMIN } } }),
});
