import { createHmac, randomBytes } from 'node:crypto';
import { FieldError, StatusError } from '../../../machinery/errors/status-error';
import type { KubeObject } from '../../../machinery/meta/types';
import type { SubresourceAction } from '../../../registry/resource-type';
import { formatTime } from '../../../simulation/clock';

interface TokenRequest extends KubeObject {
  spec?: { audiences?: string[]; expirationSeconds?: number; boundObjectRef?: { kind?: string; apiVersion?: string; name?: string; uid?: string } };
}

const MIN_EXPIRATION_SECONDS = 600;
const DEFAULT_EXPIRATION_SECONDS = 3600;
const ISSUER = 'https://kubernetes.default.svc.cluster.local';

/**
 * Signs tokens for this process. Nothing verifies them yet (kubemu serves without authentication by
 * default), so HMAC with a per-process key stands in for the real server's RSA key.
 */
const SIGNING_KEY = randomBytes(32);

function base64url(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

/** `kubectl create token <sa>`: a bound service-account token (TokenRequest), as the real server issues. */
export const tokenAction: SubresourceAction = {
  apiVersion: 'authentication.k8s.io/v1',
  kind: 'TokenRequest',
  definition: 'io.k8s.api.authentication.v1.TokenRequest',
  act(account, request: TokenRequest, { now }) {
    const spec = request.spec ?? {};
    const seconds = spec.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS;
    if (seconds < MIN_EXPIRATION_SECONDS) {
      throw StatusError.invalid('authentication.k8s.io', 'TokenRequest', account.metadata.name ?? '', [
        FieldError.invalid('spec.expirationSeconds', seconds, 'may not specify a duration less than 10 minutes'),
      ]);
    }
    const issuedAt = Math.floor(now.getTime() / 1000);
    const namespace = account.metadata.namespace ?? '';
    const name = account.metadata.name ?? '';
    const claims = {
      aud: spec.audiences?.length ? spec.audiences : [ISSUER],
      exp: issuedAt + seconds,
      iat: issuedAt,
      iss: ISSUER,
      jti: randomBytes(16).toString('hex'),
      'kubernetes.io': { namespace, serviceaccount: { name, uid: account.metadata.uid } },
      nbf: issuedAt,
      sub: `system:serviceaccount:${namespace}:${name}`,
    };
    const unsigned = `${base64url({ alg: 'HS256', kid: 'kubemu' })}.${base64url(claims)}`;
    const token = `${unsigned}.${createHmac('sha256', SIGNING_KEY).update(unsigned).digest('base64url')}`;
    return {
      ...request,
      metadata: { ...request.metadata, name, namespace },
      spec: { ...spec, audiences: claims.aud, expirationSeconds: seconds },
      status: { token, expirationTimestamp: formatTime(new Date((issuedAt + seconds) * 1000)) },
    };
  },
};
