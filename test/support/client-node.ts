/**
 * The official JavaScript client wired to a kubemu URL. client-node 2.x is ESM-only: Jest runs
 * these CommonJS tests through swc, which turns the dynamic import into a require() that Jest 30
 * loads as ESM itself. Types come from a type-only import, erased at compile time.
 */
import type * as K8s from '@kubernetes/client-node';

export type ClientNode = typeof K8s;

export async function clientNodeFor(url: string): Promise<{ k8s: ClientNode; kc: K8s.KubeConfig }> {
  const k8s = await import('@kubernetes/client-node');
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    // client-node refuses an http:// server unless skipTLSVerify is set, even though there is no TLS.
    clusters: [{ name: 'kubemu', server: url, skipTLSVerify: true }],
    users: [{ name: 'kubemu' }],
    contexts: [{ name: 'kubemu', cluster: 'kubemu', user: 'kubemu', namespace: 'default' }],
    currentContext: 'kubemu',
  });
  return { k8s, kc };
}
