import type { Container, Pod } from '../../kinds/core/pod/pod.types';
import type { ResourceRegistry } from '../../registry/registry';
import type { Clock } from '../clock';
import { answersPing, resolveClusterName } from '../cluster-dns';
import { containerEnvironment, type ContainerStart } from './container-environment';
import { SimulatedShell } from './shell';

/** The simulated shell of one container: its environment and files, cluster DNS and the network. */
export function containerShell(registry: ResourceRegistry, clock: Clock, pod: Pod, container: Container, start: ContainerStart): SimulatedShell {
  const environment = containerEnvironment(registry, pod, container, start);
  const dnsServer = /nameserver (\S+)/.exec(environment.files.get('/etc/resolv.conf') ?? '')?.[1] ?? '';
  return new SimulatedShell({
    environment,
    resolve: (fqdn) => resolveClusterName(registry, fqdn),
    answersPing: (ip) => answersPing(registry, ip),
    dnsServer,
    now: () => clock.now(),
  });
}
