/**
 * kubectl exec over WebSocket against the simulated containers: the environment a kubelet sets up
 * (the seed's Service variables, env from ConfigMaps and the downward API), mounted ConfigMaps that
 * follow edits, cluster DNS, exit codes, stdin, a terminal session, and the Python client's
 * v4.channel.k8s.io stream.
 */
import { eventually, startKubemu, type Kubemu } from '../support/kubemu';
import { ensureDebianPackage, runProcess } from '../support/process';

let k: Kubemu;

beforeAll(async () => {
  k = await startKubemu();
  await k.api.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ex' } });
  // The seed's tomcat-service exists before the pod, so its variables are injected.
  await ok(['apply', '-f', k.writeFile('svc.yaml', SERVICE)]);
  await ok(['create', 'configmap', 'app-config', '--from-literal=level=debug', '--from-literal=mode=fast']);
  await ok(['apply', '-f', k.writeFile('pod.yaml', POD)]);
  await ok(['wait', '--for=condition=Ready', 'pod/tomcat', '--timeout=30s']);
}, 60_000);
afterAll(() => k.close());

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: tomcat-service
spec:
  ports:
  - name: service-port
    port: 8080
  selector:
    tier: frontend
`;

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: tomcat
  labels: {tier: frontend}
spec:
  containers:
  - name: tomcat
    image: tomcat
    env:
    - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
    - {name: GREETING, value: "hello $(POD_NAME)"}
    - {name: LEVEL, valueFrom: {configMapKeyRef: {name: app-config, key: level}}}
    envFrom:
    - {prefix: CFG_, configMapRef: {name: app-config}}
    volumeMounts:
    - {name: config, mountPath: /etc/config}
  volumes:
  - name: config
    configMap: {name: app-config}
`;

const ok = (args: string[], stdin?: string) => k.ok(['-n', 'ex', ...args], { stdin });

describe('kubectl exec', () => {
  it('shows the environment a kubelet injects: service links, downward API, ConfigMap references', async () => {
    const env = new Map(
      (await ok(['exec', 'tomcat', '--', 'env']))
        .trim()
        .split('\n')
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as [string, string]),
    );
    const ip = await ok(['get', 'service', 'tomcat-service', '-o', 'jsonpath={.spec.clusterIP}']);
    expect(env.get('TOMCAT_SERVICE_SERVICE_HOST')).toBe(ip);
    expect(env.get('TOMCAT_SERVICE_SERVICE_PORT')).toBe('8080');
    expect(env.get('TOMCAT_SERVICE_SERVICE_PORT_SERVICE_PORT')).toBe('8080');
    expect(env.get('TOMCAT_SERVICE_PORT')).toBe(`tcp://${ip}:8080`);
    expect(env.get('TOMCAT_SERVICE_PORT_8080_TCP')).toBe(`tcp://${ip}:8080`);
    expect(env.get('TOMCAT_SERVICE_PORT_8080_TCP_PROTO')).toBe('tcp');
    expect(env.get('TOMCAT_SERVICE_PORT_8080_TCP_PORT')).toBe('8080');
    expect(env.get('TOMCAT_SERVICE_PORT_8080_TCP_ADDR')).toBe(ip);
    expect(env.get('KUBERNETES_SERVICE_HOST')).toBe('10.96.0.1');
    expect(env.get('HOSTNAME')).toBe('tomcat');
    expect(env.get('GREETING')).toBe('hello tomcat');
    expect(env.get('LEVEL')).toBe('debug');
    expect(env.get('CFG_mode')).toBe('fast');
  });

  it('leaves out Services created after the container started', async () => {
    await ok(['create', 'service', 'clusterip', 'later', '--tcp=80']);
    expect(await ok(['exec', 'tomcat', '--', 'sh', '-c', 'env | grep -c LATER_ || true'])).toBe('0\n');
  });

  it('mounts a ConfigMap as files that follow its edits', async () => {
    expect(await ok(['exec', 'tomcat', '--', 'ls', '/etc/config'])).toBe('level\nmode\n');
    expect(await ok(['exec', 'tomcat', '--', 'cat', '/etc/config/level'])).toBe('debug');
    await ok(['patch', 'configmap', 'app-config', '--type=merge', '-p', '{"data":{"level":"info"}}']);
    await eventually(async () => ((await ok(['exec', 'tomcat', '--', 'cat', '/etc/config/level'])) === 'info' ? true : undefined), 10_000, 'the edited file');
  });

  it('resolves cluster DNS names of Services', async () => {
    const ip = await ok(['get', 'service', 'tomcat-service', '-o', 'jsonpath={.spec.clusterIP}']);
    const out = await ok(['exec', 'tomcat', '--', 'nslookup', 'tomcat-service']);
    expect(out).toContain('Name:\ttomcat-service.ex.svc.cluster.local');
    expect(out).toContain(`Address: ${ip}`);
    const missing = await k.kubectl(['exec', 'tomcat', '-n', 'ex', '--', 'nslookup', 'nowhere']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain("** server can't find nowhere: NXDOMAIN");
  });

  it("cannot ping a Service's cluster IP, only pods (the seed's point about virtual IPs)", async () => {
    const serviceIP = await ok(['get', 'service', 'tomcat-service', '-o', 'jsonpath={.spec.clusterIP}']);
    const toService = await k.kubectl(['exec', 'tomcat', '-n', 'ex', '--', 'ping', '-c', '2', serviceIP]);
    expect(toService.code).toBe(1);
    expect(toService.stdout).toContain('2 packets transmitted, 0 packets received, 100% packet loss');
    const podIP = await ok(['get', 'pod', 'tomcat', '-o', 'jsonpath={.status.podIP}']);
    expect(await ok(['exec', 'tomcat', '--', 'ping', '-c', '2', podIP])).toContain('2 packets transmitted, 2 packets received, 0% packet loss');
  });

  it('passes exit codes, stdin and missing executables through as a real cluster does', async () => {
    const failed = await k.kubectl(['exec', 'tomcat', '-n', 'ex', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(failed.code).toBe(3);
    expect(failed.stderr).toContain('command terminated with exit code 3');
    expect(await ok(['exec', '-i', 'tomcat', '--', 'cat'], 'piped in\n')).toBe('piped in\n');
    expect(await ok(['exec', '-i', 'tomcat', '--', 'sh'], 'echo one\nhostname\n')).toBe('one\ntomcat\n');
    const missing = await k.kubectl(['exec', 'tomcat', '-n', 'ex', '--', 'no-such-tool']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('exec: "no-such-tool": executable file not found in $PATH');
    const wrong = await k.kubectl(['exec', 'tomcat', '-n', 'ex', '-c', 'nope', '--', 'ls']);
    expect(wrong.stderr).toContain('container nope is not valid for pod tomcat');
  });

  it('streams to the Python client over v4.channel.k8s.io', async () => {
    await ensureDebianPackage('python3-kubernetes', { command: '/usr/bin/python3', args: ['-c', 'import kubernetes'] });
    const script = k.writeFile(
      'exec.py',
      `import json, sys
from kubernetes import client
from kubernetes.stream import stream
cfg = client.Configuration()
cfg.host = sys.argv[1]
v1 = client.CoreV1Api(client.ApiClient(cfg))
out = stream(v1.connect_get_namespaced_pod_exec, 'tomcat', 'ex', command=['printenv', 'HOSTNAME'], stderr=True, stdin=False, stdout=True, tty=False)
resp = stream(v1.connect_get_namespaced_pod_exec, 'tomcat', 'ex', command=['sh', '-c', 'exit 2'], stderr=True, stdin=False, stdout=True, tty=False, _preload_content=False)
resp.run_forever(timeout=10)
print(json.dumps({'out': out, 'code': resp.returncode}))
`,
    );
    const r = await runProcess('/usr/bin/python3', [script, k.url], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: k.dir }, timeoutMs: 30_000 });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ out: 'tomcat\n', code: 2 });
  });
});

describe('kubectl run -i and attach', () => {
  it('runs a throwaway shell pod: input goes to the shell, its exit ends the container, --rm deletes the pod', async () => {
    const r = await k.kubectl(['run', '-i', '--rm', 'probe', '--image=busybox', '--restart=Never', '-n', 'ex', '--', 'sh'], { stdin: 'hostname\nexit 2\n', timeoutMs: 60_000 });
    expect(r.stdout).toContain('probe\n');
    expect(r.stdout).toContain('pod "probe" deleted');
    expect(r.code).toBe(2);
    expect((await k.kubectl(['get', 'pod', 'probe', '-n', 'ex'])).stderr).toContain('pods "probe" not found');
  });

  it('streams the output of an attached program until it ends', async () => {
    await ok(['run', 'ticker', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'echo one; sleep 1; echo two; sleep 1; echo three']);
    await ok(['wait', '--for=jsonpath={.status.phase}=Running', 'pod/ticker', '--timeout=30s']);
    const out = await ok(['attach', 'ticker']);
    expect(out).toContain('three\n');
  });
});
