/**
 * `kubectl create token`: a TokenRequest POSTed to serviceaccounts/<name>/token (protobuf from
 * kubectl 1.32 on, JSON before), answered with a signed, bound token.
 */
import { kubectlBinary, startKubemu, type Kubemu } from '../support/kubemu';

interface Claims {
  aud: string[];
  exp: number;
  iat: number;
  sub: string;
  'kubernetes.io': { namespace: string; serviceaccount: { name: string; uid: string } };
}

function claimsOf(token: string): Claims {
  const [, payload] = token.trim().split('.');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Claims;
}

describe('kubectl create token', () => {
  let k: Kubemu;
  let uid: string;

  beforeAll(async () => {
    k = await startKubemu();
    uid = (await k.api.create<{ metadata: { uid: string } }>('/api/v1/namespaces/default/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot' } })).metadata.uid;
  });
  afterAll(() => k.close());

  it.each([31, 32, 33])('kubectl 1.%s gets a token bound to the service account', async (minor) => {
    const r = await k.kubectl(['create', 'token', 'robot', '--duration=2h', '--audience=api'], { binary: kubectlBinary(minor) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const claims = claimsOf(r.stdout);
    expect(claims).toMatchObject({ aud: ['api'], sub: 'system:serviceaccount:default:robot', 'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'robot', uid } } });
    expect(claims.exp - claims.iat).toBe(7200);
  });

  it('refuses a duration under ten minutes and a missing account as a real server does', async () => {
    const short = await k.kubectl(['create', 'token', 'robot', '--duration=1m']);
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes');
    const missing = await k.kubectl(['create', 'token', 'ghost']);
    expect(missing.stderr).toContain('serviceaccounts "ghost" not found');
  });

  it('discovery names the TokenRequest kind of the subresource', async () => {
    const list = (await k.api.request<{ resources: { name: string; group?: string; kind: string; verbs: string[] }[] }>('GET', '/api/v1')).body;
    expect(list.resources.find((r) => r.name === 'serviceaccounts/token')).toEqual({
      name: 'serviceaccounts/token',
      singularName: '',
      namespaced: true,
      group: 'authentication.k8s.io',
      version: 'v1',
      kind: 'TokenRequest',
      verbs: ['create'],
    });
  });
});
