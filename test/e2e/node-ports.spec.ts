/**
 * Reaching Services from outside: a NodePort is a real listener on kubemu's address that spreads
 * requests over the ready endpoints and answers with what their images serve; it drops requests
 * while no endpoint is ready and closes with the Service. LoadBalancer Services get an external
 * address.
 */
import { createServer } from 'node:net';
import { eventually, parseTable, startKubemu, type Kubemu } from '../support/kubemu';

let k: Kubemu;
let host: string;

beforeAll(async () => {
  k = await startKubemu();
  host = new URL(k.url).hostname;
});
afterAll(() => k.close());

const ok = (args: string[]) => k.ok(args);

async function get(port: string): Promise<{ status: number; body: string; server: string | null } | undefined> {
  try {
    const res = await fetch(`http://${host}:${port}/`);
    return { status: res.status, body: await res.text(), server: res.headers.get('server') };
  } catch {
    return undefined;
  }
}

function canListen(port: number): Promise<true | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

describe('NodePort and LoadBalancer Services', () => {
  it("answers on the node port with the pods' pages, spreading requests over them", async () => {
    await ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=2']);
    await ok(['expose', 'deployment', 'web', '--port=80', '--type=NodePort']);
    await ok(['rollout', 'status', 'deployment/web', '--timeout=60s']);
    const port = await ok(['get', 'service', 'web', '-o', 'jsonpath={.spec.ports[0].nodePort}']);
    const page = await eventually(() => get(port), 10_000, 'the node port answering');
    expect(page).toMatchObject({ status: 200, server: 'nginx' });
    expect(page.body).toContain('<title>Welcome to nginx!</title>');

    await ok(['create', 'deployment', 'echo', '--image=hashicorp/http-echo', '--replicas=2']);
    await ok(['expose', 'deployment', 'echo', '--port=5678', '--type=NodePort']);
    await ok(['rollout', 'status', 'deployment/echo', '--timeout=60s']);
    const echoPort = await ok(['get', 'service', 'echo', '-o', 'jsonpath={.spec.ports[0].nodePort}']);
    await eventually(async () => ((await ok(['get', 'endpoints', 'echo', '-o', 'jsonpath={.subsets[0].addresses[*].ip}'])).split(' ').length === 2 ? true : undefined), 10_000, 'two endpoints');
    const answers = new Set<string>();
    for (let i = 0; i < 4; i++) answers.add((await get(echoPort))!.body);
    const pods = (await ok(['get', 'pods', '-l', 'app=echo', '-o', 'jsonpath={.items[*].metadata.name}'])).split(' ');
    expect([...answers].map((a) => /^Hello from (\S+) /.exec(a)?.[1]).sort()).toEqual(pods.sort());
  });

  it('drops requests while no endpoint is ready and closes the port with the Service', async () => {
    const port = await ok(['get', 'service', 'echo', '-o', 'jsonpath={.spec.ports[0].nodePort}']);
    await ok(['scale', 'deployment', 'echo', '--replicas=0']);
    await eventually(async () => ((await get(port)) === undefined ? true : undefined), 10_000, 'requests dropped');
    const webPort = await ok(['get', 'service', 'web', '-o', 'jsonpath={.spec.ports[0].nodePort}']);
    await ok(['delete', 'service', 'web']);
    // Closed: the port can be listened on again.
    await eventually(() => canListen(Number(webPort)), 10_000, 'the node port closed');
  });

  it('gives a LoadBalancer Service an external address', async () => {
    await ok(['expose', 'deployment', 'echo', '--name=public', '--port=80', '--target-port=5678', '--type=LoadBalancer']);
    const ip = await eventually(async () => (await ok(['get', 'service', 'public', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}'])) || undefined, 10_000, 'an external IP');
    expect(ip).toMatch(/^172\.18\.255\.\d+$/);
    const row = parseTable(await ok(['get', 'service', 'public'])).rows[0];
    expect(row.slice(0, 4)).toEqual(['public', 'LoadBalancer', expect.stringMatching(/^10\./), ip]);
    expect(await ok(['describe', 'service', 'public'])).toMatch(/Normal\s+EnsuredLoadBalancer\s+.*service-controller\s+Ensured load balancer/);
  });
});
