/**
 * networking.k8s.io through real kubectl: IngressClass with the default-class annotation, kubectl
 * create ingress (protobuf from 1.32, JSON from 1.27), the Ingress printer, describe, NetworkPolicy,
 * and validation text.
 */
import { kubectlBinary, parseTable, startKubemu, type Kubemu } from '../support/kubemu';

let k: Kubemu;

beforeAll(async () => {
  k = await startKubemu();
  await k.api.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'net' } });
});
afterAll(() => k.close());

const DEFAULT_CLASS = `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
  annotations:
    ingressclass.kubernetes.io/is-default-class: "true"
spec:
  controller: k8s.io/ingress-nginx
`;

const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: db-access
  namespace: net
spec:
  podSelector:
    matchLabels:
      role: db
  ingress:
  - from:
    - ipBlock:
        cidr: 172.17.0.0/16
        except: ["172.17.1.0/24"]
    - podSelector:
        matchLabels:
          role: frontend
    ports:
    - port: 6379
  egress:
  - to:
    - ipBlock:
        cidr: 10.0.0.0/24
    ports:
    - port: 5978
`;

describe('kubectl and networking.k8s.io', () => {
  it('creates a default IngressClass', async () => {
    expect((await k.kubectl(['apply', '-f', '-'], { stdin: DEFAULT_CLASS })).stdout.trim()).toBe('ingressclass.networking.k8s.io/nginx created');
    const table = parseTable((await k.kubectl(['get', 'ingressclass'])).stdout);
    expect(table.header.split(/\s{2,}/)).toEqual(['NAME', 'CONTROLLER', 'PARAMETERS', 'AGE']);
    expect(table.rows[0].slice(0, 3)).toEqual(['nginx', 'k8s.io/ingress-nginx', '<none>']);
  });

  it.each([
    ['1.32 (protobuf)', '/usr/bin/kubectl', 'pb'],
    ['1.27 (JSON)', kubectlBinary(27), 'json'],
  ])('creates Ingresses with kubectl %s, given the default class', async (_label, binary, suffix) => {
    const r = await k.kubectl(['create', 'ingress', `simple-${suffix}`, '-n', 'net', '--rule=foo.com/bar=svc1:8080,tls=my-cert'], { binary });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(`ingress.networking.k8s.io/simple-${suffix} created`);
    const ing = JSON.parse((await k.kubectl(['get', 'ing', `simple-${suffix}`, '-n', 'net', '-o', 'json'])).stdout) as { spec: unknown };
    expect(ing.spec).toEqual({
      ingressClassName: 'nginx',
      rules: [{ host: 'foo.com', http: { paths: [{ backend: { service: { name: 'svc1', port: { number: 8080 } } }, path: '/bar', pathType: 'Exact' }] } }],
      tls: [{ hosts: ['foo.com'], secretName: 'my-cert' }],
    });
  });

  it('prints Ingresses as the real server does', async () => {
    await k.kubectl(['create', 'ingress', 'many', '-n', 'net', '--class=other', '--rule=a.com/*=web:80', '--rule=b.com/=web:80', '--rule=c.com/=web:http', '--rule=d.com/=web:80']);
    const table = parseTable((await k.kubectl(['get', 'ingress', '-n', 'net'])).stdout);
    expect(table.header.split(/\s+/)).toEqual(['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE']);
    expect(table.lines.find((l) => l.startsWith('many '))).toMatch(/^many\s+other\s+a\.com,b\.com,c\.com \+ 1 more\.\.\.\s+80\s+\d+s$/);
    expect(table.lines.find((l) => l.startsWith('simple-pb '))).toMatch(/^simple-pb\s+nginx\s+foo\.com\s+80, 443\s+\d+s$/);
    const described = (await k.kubectl(['describe', 'ingress', 'simple-pb', '-n', 'net'])).stdout;
    expect(described).toMatch(/^Ingress Class:\s+nginx$/m);
    expect(described).toMatch(/^\s+my-cert terminates foo.com$/m);
    expect(described).toMatch(/^\s+\/bar\s+svc1:8080 \(<error: services "svc1" not found>\)$/m);
  });

  it('refuses invalid Ingresses with the upstream messages', async () => {
    const r = await k.kubectl(['create', 'ingress', 'bad', '-n', 'net', '--rule=foo.com/bar=svc1:8080', '--class=Bad_Class']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Ingress.networking.k8s.io "bad" is invalid: spec.ingressClassName: Invalid value: "Bad_Class": a lowercase RFC 1123 subdomain must consist of');
  });

  it('stores NetworkPolicies with their defaults and prints their pod selector', async () => {
    expect((await k.kubectl(['apply', '-f', '-'], { stdin: POLICY })).stdout.trim()).toBe('networkpolicy.networking.k8s.io/db-access created');
    const table = parseTable((await k.kubectl(['get', 'netpol', '-n', 'net'])).stdout);
    expect(table.header.split(/\s{2,}/)).toEqual(['NAME', 'POD-SELECTOR', 'AGE']);
    expect(table.rows[0].slice(0, 2)).toEqual(['db-access', 'role=db']);
    const policy = JSON.parse((await k.kubectl(['get', 'networkpolicy', 'db-access', '-n', 'net', '-o', 'json'])).stdout) as { spec: { policyTypes: string[]; ingress: { ports: unknown[] }[] } };
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.spec.ingress[0].ports).toEqual([{ port: 6379, protocol: 'TCP' }]);
    const described = (await k.kubectl(['describe', 'netpol', 'db-access', '-n', 'net'])).stdout;
    expect(described).toMatch(/PodSelector:\s+role=db/);
    expect(described).toMatch(/IPBlock:\s+CIDR: 172.17.0.0\/16\s+Except: 172.17.1.0\/24/);

    const bad = POLICY.replace('except: ["172.17.1.0/24"]', 'except: ["10.0.0.0/8"]').replace('db-access', 'bad');
    const r = await k.kubectl(['apply', '-f', '-'], { stdin: bad });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('The NetworkPolicy "bad" is invalid: spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "10.0.0.0/8": must be a strict subset of `cidr`');
  });
});
