/**
 * kube-proxy's NodePort rule, made real: every TCP node port of a NodePort or LoadBalancer Service
 * is a listener on kubemu's host address, so `curl http://127.0.0.1:<nodePort>/` reaches the
 * Service. Each connection goes to one of its ready endpoints in turn and is answered with what
 * that pod's simulated container serves (http-responder.ts); a Service without ready endpoints
 * drops the connection unanswered (kube-proxy rejects it). A port the host cannot open (in use by
 * something else) is reported and retried when the Service changes.
 */
import { createServer, type Server } from 'node:http';
import { splitKey, type Reconciler } from '../controller-runtime/reconciler';
import { backendsOf } from '../kinds/core/service/service.backends';
import type { Pod } from '../kinds/core/pod/pod.types';
import type { Service, ServicePort } from '../kinds/core/service/service.types';
import type { ResourceRegistry } from '../registry/registry';
import { simulatedHttpResponse } from './http-responder';

interface Listener {
  serviceKey: string;
  server: Server;
  /** Round-robin position over the ready endpoints. */
  next: number;
}

function nodePortsOf(svc: Service): ServicePort[] {
  if (svc.spec?.type !== 'NodePort' && svc.spec?.type !== 'LoadBalancer') return [];
  return (svc.spec.ports ?? []).filter((p) => p.nodePort && (p.protocol ?? 'TCP') === 'TCP');
}

export function kubeProxy(registry: ResourceRegistry, host: string, onError: (message: string) => void = () => {}): Reconciler & { stop(): void } {
  const services = registry.forKind<Service>('', 'Service');
  const pods = registry.forKind<Pod>('', 'Pod');
  const listeners = new Map<number, Listener>();

  function serve(listener: Listener, nodePort: number) {
    return (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
      const { namespace, name } = splitKey(listener.serviceKey);
      const svc = services.find(namespace, name)?.object as Service | undefined;
      const port = svc && nodePortsOf(svc).find((p) => p.nodePort === nodePort);
      const ready = svc && port ? backendsOf(svc, pods.cachedObjects(namespace), false).filter((b) => b.ready && b.ports.some((p) => (p.name ?? '') === (port.name ?? ''))) : [];
      if (!ready.length) {
        req.socket.destroy();
        return;
      }
      const backend = ready[listener.next++ % ready.length];
      const pod = pods.find(namespace, backend.targetRef.name)?.object as Pod | undefined;
      const targetPort = backend.ports.find((p) => (p.name ?? '') === (port!.name ?? ''))?.port;
      const container = pod?.spec?.containers?.find((c) => c.ports?.some((p) => p.containerPort === targetPort)) ?? pod?.spec?.containers?.[0];
      const answer = simulatedHttpResponse(pod ?? ({ metadata: { name: backend.targetRef.name } } as Pod), container, req.method ?? 'GET', (req.url ?? '/').split('?')[0]);
      res.writeHead(answer.status, { ...answer.headers, 'Content-Length': Buffer.byteLength(answer.body) });
      res.end(answer.body);
    };
  }

  function open(nodePort: number, serviceKey: string): void {
    const listener: Listener = { serviceKey, server: createServer(), next: 0 };
    listener.server.on('request', serve(listener, nodePort));
    listener.server.on('error', (err) => {
      listeners.delete(nodePort);
      onError(`kube-proxy: cannot listen on ${host}:${nodePort} for ${serviceKey}: ${err.message}`);
    });
    listener.server.listen(nodePort, host);
    listener.server.unref();
    listeners.set(nodePort, listener);
  }

  function close(nodePort: number): void {
    listeners.get(nodePort)?.server.close();
    listeners.delete(nodePort);
  }

  return {
    name: 'kube-proxy',
    watches: [{ group: '', kind: 'Service' }],
    async reconcile(key) {
      const { namespace, name } = splitKey(key);
      const svc = services.find(namespace, name)?.object as Service | undefined;
      const wanted = new Set((svc ? nodePortsOf(svc) : []).map((p) => p.nodePort!));
      for (const [port, listener] of listeners) if (listener.serviceKey === key && !wanted.has(port)) close(port);
      for (const port of wanted) {
        const current = listeners.get(port);
        if (current && current.serviceKey !== key) close(port);
        if (!listeners.has(port)) open(port, key);
      }
    },
    stop() {
      for (const port of [...listeners.keys()]) close(port);
    },
  };
}
