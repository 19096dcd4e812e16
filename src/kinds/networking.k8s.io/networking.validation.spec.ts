import { seededRegistry, type SeededRegistry } from '../../../test/support/registry';
import { formatAddresses, formatHosts } from './ingress/ingress.table';
import type { Ingress, IngressClass, NetworkPolicy } from './networking.types';
import { validateIngressClass, validateIngressClassUpdate, validateIngressCreate, validateIngressStatus, validateNetworkPolicy, wildcardSubdomainErrors } from './networking.validation';

const messages = (errors: { toString(): string }[]) => errors.map((e) => e.toString());
const ingress = (spec: Ingress['spec'], annotations?: Record<string, string>): Ingress => ({ metadata: { name: 'web', annotations }, spec });

describe('Ingress validation (pkg/apis/networking/validation)', () => {
  it('needs rules or a default backend', () => {
    expect(messages(validateIngressCreate(ingress({})))).toEqual(['spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified']);
  });

  it('checks hosts, paths, path types and backends', () => {
    const errors = validateIngressCreate(
      ingress({
        rules: [
          { host: '10.0.0.1', http: { paths: [{ path: 'api', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 80 } } } }] } },
          { host: '*.Example.com', http: { paths: [{ path: '/a//b', pathType: 'Exact', backend: { service: { name: 'api' } } }, { path: '/x', backend: {} }] } },
          { http: { paths: [{ path: '/', pathType: 'Regex', backend: { service: { name: 'api', port: { name: 'http', number: 80 } } } }] } },
        ],
      }),
    );
    expect(messages(errors)).toEqual([
      'spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address',
      'spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path',
      `spec.rules[1].host: Invalid value: "*.Example.com": ${wildcardSubdomainErrors('*.Example.com')[0]}`,
      "spec.rules[1].http.paths[0].path: Invalid value: \"/a//b\": must not contain '//'",
      'spec.rules[1].http.paths[0].backend: Required value: port name or number is required',
      'spec.rules[1].http.paths[1].pathType: Required value: pathType must be specified',
      'spec.rules[2].http.paths[0].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"',
      'spec.rules[2].http.paths[0].backend: Invalid value: "": cannot set both port name & port number',
    ]);
    expect(wildcardSubdomainErrors('*.example.com')).toEqual([]);
  });

  it('wants the class annotation to agree with ingressClassName', () => {
    const both = ingress({ ingressClassName: 'nginx', defaultBackend: { service: { name: 'web', port: { number: 80 } } } }, { 'kubernetes.io/ingress.class': 'traefik' });
    expect(messages(validateIngressCreate(both))).toEqual(['annotations.kubernetes.io/ingress.class: Invalid value: "traefik": must match `ingressClassName` when both are specified']);
  });

  it('checks load balancer addresses and prints them whole', () => {
    const lb = { ...ingress({}), status: { loadBalancer: { ingress: [{ ip: '192.168.100.200' }, { hostname: 'lb.example.com' }, { ip: 'nope', hostname: '10.0.0.1' }] } } };
    expect(messages(validateIngressStatus(lb))).toEqual([
      'status.loadBalancer.ingress[2].ip: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      'status.loadBalancer.ingress[2].hostname: Invalid value: "10.0.0.1": must be a DNS name, not an IP address',
    ]);
    expect(formatAddresses(lb.status.loadBalancer.ingress.slice(0, 2))).toBe('192.168.100.200,lb.example.com');
  });

  it('prints at most three hosts', () => {
    expect(formatHosts([])).toBe('*');
    expect(formatHosts([{ host: 'a' }, {}, { host: 'b' }])).toBe('a,b');
    expect(formatHosts([{ host: 'a' }, { host: 'b' }, { host: 'c' }, { host: 'd' }, { host: 'e' }])).toBe('a,b,c + 2 more...');
  });
});

describe('IngressClass and NetworkPolicy validation', () => {
  it('wants a domain-prefixed, immutable controller and scoped parameters', () => {
    const ic = (spec: IngressClass['spec']): IngressClass => ({ metadata: { name: 'c' }, spec });
    expect(messages(validateIngressClass(ic({ controller: 'nginx' })))).toEqual(['spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")']);
    expect(messages(validateIngressClass(ic({ controller: 'example.com/x', parameters: { kind: 'Params', name: 'p', scope: 'Cluster', namespace: 'ns' } })))).toEqual([
      "spec.parameters.namespace: Forbidden: `parameters.scope` is set to 'Cluster'",
    ]);
    expect(messages(validateIngressClass(ic({ controller: 'example.com/x', parameters: { kind: 'Params', name: 'p', scope: 'Namespace' } })))).toEqual([
      "spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'",
    ]);
    expect(messages(validateIngressClassUpdate(ic({ controller: 'example.com/y' }), ic({ controller: 'example.com/x' })))).toEqual([
      'spec.controller: Invalid value: "example.com/y": field is immutable',
    ]);
  });

  it('checks ports, peers and IP blocks of a policy', () => {
    const policy: NetworkPolicy = {
      metadata: { name: 'p' },
      spec: {
        podSelector: {},
        ingress: [{ ports: [{ protocol: 'ICMP', port: 80, endPort: 70 }], from: [{}, { ipBlock: { cidr: '10.0.0.0/16', except: ['10.1.0.0/24', '10.0.1.0/24'] }, podSelector: {} }] }],
        egress: [{ ports: [{ port: 'dns', endPort: 53 }] }],
        policyTypes: ['Ingress', 'Sideways'],
      },
    };
    expect(messages(validateNetworkPolicy(policy))).toEqual([
      'spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"',
      'spec.ingress[0].ports[0].endPort: Invalid value: 80: must be greater than or equal to `port`',
      'spec.ingress[0].from[0]: Required value: must specify a peer',
      'spec.ingress[0].from[1].ipBlock.except[0]: Invalid value: "10.1.0.0/24": must be a strict subset of `cidr`',
      'spec.ingress[0].from[1]: Forbidden: may not specify both ipBlock and another peer',
      'spec.egress[0].ports[0].endPort: Invalid value: 53: may not be specified when `port` is non-numeric',
      'spec.policyTypes[1]: Unsupported value: "Sideways": supported values: "Ingress", "Egress"',
    ]);
  });
});

describe('networking kinds through the store', () => {
  let seeded: SeededRegistry;
  beforeAll(async () => (seeded = await seededRegistry()));
  afterAll(() => seeded.close());

  it('gives class-less Ingresses the newest default class, and policies their types', async () => {
    const classes = seeded.registry.forKind<IngressClass>('networking.k8s.io', 'IngressClass');
    const ingresses = seeded.registry.forKind<Ingress>('networking.k8s.io', 'Ingress');
    const backend = { service: { name: 'web', port: { number: 80 } } };
    const before = (await ingresses.create('default', ingress({ defaultBackend: backend }))).object as Ingress;
    expect(before.spec?.ingressClassName).toBeUndefined();
    await classes.create(undefined, { metadata: { name: 'old', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } }, spec: { controller: 'example.com/a' } });
    seeded.clock.advance(1000);
    await classes.create(undefined, { metadata: { name: 'new', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } }, spec: { controller: 'example.com/b' } });
    const after = (await ingresses.create('default', { metadata: { name: 'web2' }, spec: { defaultBackend: backend } })).object as Ingress;
    expect(after.spec?.ingressClassName).toBe('new');
    const annotated = (await ingresses.create('default', { metadata: { name: 'web3', annotations: { 'kubernetes.io/ingress.class': 'x' } }, spec: { defaultBackend: backend } }));
    expect((annotated.object as Ingress).spec?.ingressClassName).toBeUndefined();
    expect(annotated.warnings).toEqual(['metadata.annotations[kubernetes.io/ingress.class]: deprecated in v1.18+, use spec.ingressClassName instead']);

    const policies = seeded.registry.forKind<NetworkPolicy>('networking.k8s.io', 'NetworkPolicy');
    const egress = (await policies.create('default', { metadata: { name: 'out' }, spec: { podSelector: {}, egress: [{}] } })).object as NetworkPolicy;
    expect(egress.spec?.policyTypes).toEqual(['Ingress', 'Egress']);
  });
});
