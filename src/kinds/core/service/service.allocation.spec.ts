import type { AllocationContext, ClusterSettings } from '../../../registry/resource-type';
import { allocateService, firstServiceIP, serviceIPRange } from './service.allocation';
import { defaultService } from './service.defaults';
import type { Service } from './service.types';

const settings: ClusterSettings = { serviceClusterIPRange: '10.96.0.0/12', serviceNodePortRange: { min: 30000, max: 32767 } };

function context(others: Service[], s: ClusterSettings = settings): AllocationContext<Service> {
  return { settings: s, others: () => others };
}

function service(spec: Service['spec'], name = 'web'): Service {
  const svc: Service = { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec };
  defaultService(svc);
  return svc;
}

const text = (errors: { toString(): string }[]) => errors.map((e) => e.toString());

function ipNumber(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

describe('Service allocation', () => {
  it('knows the range and its first address', () => {
    expect(serviceIPRange(settings)).toEqual({ cidr: '10.96.0.0/12', network: ipNumber('10.96.0.0'), size: 2 ** 20 - 2 });
    expect(firstServiceIP(settings)).toBe('10.96.0.1');
    expect(firstServiceIP({ ...settings, serviceClusterIPRange: '169.169.0.0/16' })).toBe('169.169.0.1');
  });

  it('hands a ClusterIP service a free address of the range, above the band kept for requests, with IPv4 single-stack fields', () => {
    const svc = service({ ports: [{ port: 80 }], selector: { app: 'web' } });
    expect(allocateService(svc, undefined, context([]))).toEqual([]);
    const ip = svc.spec!.clusterIP!;
    expect(svc.spec).toMatchObject({ clusterIPs: [ip], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' });
    const offset = ipNumber(ip) - ipNumber('10.96.0.0') - 1;
    expect(offset).toBeGreaterThanOrEqual(256);
    expect(offset).toBeLessThan(2 ** 20 - 2);
  });

  it('never hands out an address twice, even in a range with few left', () => {
    const small = { ...settings, serviceClusterIPRange: '10.0.0.0/29' };
    const taken: Service[] = [];
    for (let i = 0; i < 6; i++) {
      const svc = service({ ports: [{ port: 80 }] }, `s${i}`);
      expect(allocateService(svc, undefined, context(taken, small))).toEqual([]);
      taken.push(svc);
    }
    expect(new Set(taken.map((s) => s.spec!.clusterIP)).size).toBe(6);
    expect(() => allocateService(service({ ports: [{ port: 80 }] }, 'full'), undefined, context(taken, small))).toThrow('range is full');
  });

  it('honours a requested address and refuses one that is taken or outside the range', () => {
    const first = service({ clusterIP: '10.96.0.10', ports: [{ port: 80 }] });
    expect(allocateService(first, undefined, context([]))).toEqual([]);
    expect(first.spec).toMatchObject({ clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'] });
    const again = service({ clusterIP: '10.96.0.10', ports: [{ port: 80 }] }, 'other');
    expect(text(allocateService(again, undefined, context([first])))).toEqual([
      'spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated',
    ]);
    const outside = service({ clusterIPs: ['192.168.1.1'], ports: [{ port: 80 }] }, 'outside');
    expect(text(allocateService(outside, undefined, context([])))).toEqual([
      'spec.clusterIPs: Invalid value: []string{"192.168.1.1"}: failed to allocate IP 192.168.1.1: the provided IP (192.168.1.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    ]);
  });

  it('gives headless and ExternalName services no address', () => {
    const headless = service({ clusterIP: 'None', selector: { app: 'db' } });
    expect(allocateService(headless, undefined, context([]))).toEqual([]);
    expect(headless.spec).toMatchObject({ clusterIP: 'None', clusterIPs: ['None'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' });
    const selectorless = service({ clusterIP: 'None' });
    expect(allocateService(selectorless, undefined, context([]))).toEqual([]);
    expect(selectorless.spec).toMatchObject({ ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'RequireDualStack' });
    const external = service({ type: 'ExternalName', externalName: 'db.example.com' });
    expect(allocateService(external, undefined, context([]))).toEqual([]);
    expect(external.spec!.clusterIP).toBeUndefined();
    expect(external.spec!.ipFamilies).toBeUndefined();
  });

  it('refuses IPv6 and dual-stack on this IPv4 cluster', () => {
    expect(text(allocateService(service({ ports: [{ port: 80 }], ipFamilies: ['IPv6'] }), undefined, context([])))).toEqual([
      'spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster',
    ]);
    expect(text(allocateService(service({ ports: [{ port: 80 }], ipFamilyPolicy: 'RequireDualStack' }), undefined, context([])))).toEqual([
      'spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services',
    ]);
  });

  it('allocates node ports in range, shares one between ports of the same number, and refuses taken ones', () => {
    const svc = service({ type: 'NodePort', ports: [{ name: 'tcp', port: 53 }, { name: 'udp', port: 53, protocol: 'UDP' }, { name: 'web', port: 80, nodePort: 31002 }] });
    expect(allocateService(svc, undefined, context([]))).toEqual([]);
    const [tcp, udp, web] = svc.spec!.ports!;
    expect(tcp.nodePort).toBeGreaterThanOrEqual(30000);
    expect(tcp.nodePort).toBeLessThanOrEqual(32767);
    expect(udp.nodePort).toBe(tcp.nodePort);
    expect(web.nodePort).toBe(31002);
    const clash = service({ type: 'NodePort', ports: [{ port: 80, nodePort: 31002 }] }, 'clash');
    expect(text(allocateService(clash, undefined, context([svc])))).toEqual(['spec.ports[0].nodePort: Invalid value: 31002: provided port is already allocated']);
    const outside = service({ type: 'NodePort', ports: [{ port: 80, nodePort: 8080 }] }, 'outside');
    expect(text(allocateService(outside, undefined, context([])))).toEqual([
      'spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767',
    ]);
  });

  it('allocates a health-check node port for LoadBalancer services with local traffic policy', () => {
    const svc = service({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ port: 443 }] });
    expect(allocateService(svc, undefined, context([]))).toEqual([]);
    expect(svc.spec!.healthCheckNodePort).toBeGreaterThanOrEqual(30000);
    expect(svc.spec!.healthCheckNodePort).not.toBe(svc.spec!.ports![0].nodePort);
  });

  describe('on update', () => {
    function created(spec: Service['spec']): Service {
      const svc = service(spec);
      expect(allocateService(svc, undefined, context([]))).toEqual([]);
      return svc;
    }

    it('keeps the address and node ports a client left out of its PUT', () => {
      const old = created({ type: 'NodePort', ports: [{ name: 'web', port: 80 }] });
      const next = service({ type: 'NodePort', ports: [{ name: 'web', port: 80 }] });
      expect(allocateService(next, old, context([]))).toEqual([]);
      expect(next.spec).toMatchObject({ clusterIP: old.spec!.clusterIP, clusterIPs: old.spec!.clusterIPs, ipFamilyPolicy: 'SingleStack' });
      expect(next.spec!.ports![0].nodePort).toBe(old.spec!.ports![0].nodePort);
    });

    it('drops node ports when the type goes back to ClusterIP, and allocates them when it becomes NodePort', () => {
      const nodePort = created({ type: 'NodePort', ports: [{ port: 80 }] });
      const back = structuredClone(nodePort);
      back.spec!.type = 'ClusterIP';
      expect(allocateService(back, nodePort, context([]))).toEqual([]);
      expect(back.spec!.ports![0].nodePort).toBeUndefined();
      expect(back.spec!.clusterIP).toBe(nodePort.spec!.clusterIP);
      const again = structuredClone(back);
      again.spec!.type = 'NodePort';
      expect(allocateService(again, back, context([]))).toEqual([]);
      expect(again.spec!.ports![0].nodePort).toBeGreaterThanOrEqual(30000);
    });

    it('releases the address on a change to ExternalName and allocates one on the way back', () => {
      const clusterIP = created({ ports: [{ port: 80 }] });
      const external = structuredClone(clusterIP);
      external.spec!.type = 'ExternalName';
      external.spec!.externalName = 'example.com';
      expect(allocateService(external, clusterIP, context([]))).toEqual([]);
      expect(external.spec!.clusterIP).toBeUndefined();
      expect(external.spec!.clusterIPs).toBeUndefined();
      const back = structuredClone(external);
      back.spec!.type = 'ClusterIP';
      delete back.spec!.externalName;
      expect(allocateService(back, external, context([]))).toEqual([]);
      expect(back.spec!.clusterIP).toMatch(/^10\.(9[6-9]|10[0-9]|11[01])\./);
    });
  });
});
