/**
 * kubectl's generator commands (`kubectl create configmap|secret|namespace|serviceaccount`),
 * which kubectl 1.32 and later POST as Kubernetes protobuf, asking for protobuf back; typed
 * reads (`kubectl describe`) that ask for protobuf; and API errors carried as protobuf Status.
 * Each write is checked by reading the stored object back as JSON.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { kubectlBinary, startKubemu, type Kubemu } from '../support/kubemu';
import { runProcess } from '../support/process';

interface Stored {
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    managedFields?: { manager: string; operation: string; fieldsV1: unknown }[];
  };
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
  type?: string;
  spec?: { finalizers?: string[] };
  status?: { phase?: string };
  secrets?: unknown;
}

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
const PROTOBUF_REQUEST = /Content-Type: application\/vnd\.kubernetes\.protobuf/;

let certPem: string;
let keyPem: string;
let certDir: string;

beforeAll(async () => {
  // One self-signed pair for every `create secret tls` below (kubectl checks that the pair matches).
  certDir = mkdtempSync(join(tmpdir(), 'kubemu-tls-'));
  const r = await runProcess('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', join(certDir, 'tls.key'), '-out', join(certDir, 'tls.crt'), '-days', '2', '-subj', '/CN=kubemu.test',
  ]);
  if (r.code !== 0) throw new Error(`openssl failed: ${r.stderr}`);
  certPem = readFileSync(join(certDir, 'tls.crt'), 'utf8');
  keyPem = readFileSync(join(certDir, 'tls.key'), 'utf8');
});
afterAll(() => rmSync(certDir, { recursive: true, force: true }));

for (const minor of [32, 33]) {
  describe(`kubectl 1.${minor} generators over protobuf`, () => {
    let k: Kubemu;
    const ns = `pb-${minor}`;
    const binary = kubectlBinary(minor);
    const run = (args: string[]) => k.kubectl(['-n', ns, ...args], { binary });
    const get = async (kind: string, name: string, namespaced = true): Promise<Stored> => {
      const r = await k.kubectl([...(namespaced ? ['-n', ns] : []), 'get', kind, name, '-o', 'json', '--show-managed-fields'], { binary });
      expect(r).toMatchObject({ code: 0, stderr: '' });
      return JSON.parse(r.stdout) as Stored;
    };

    beforeAll(async () => {
      k = await startKubemu();
      expect(await k.kubectl(['create', 'namespace', ns], { binary })).toEqual({ code: 0, stdout: `namespace/${ns} created\n`, stderr: '' });
    });
    afterAll(() => k?.close());

    it('create configmap from literals, files and binary files', async () => {
      // Make sure this really is the protobuf path: kubectl logs its request headers at -v=8.
      const verbose = await run(['create', 'configmap', 'lit', '--from-literal=a=b', '--from-literal=x=y', '-v=8']);
      expect(verbose.code).toBe(0);
      expect(verbose.stdout).toBe('configmap/lit created\n');
      expect(verbose.stderr).toMatch(PROTOBUF_REQUEST);

      const lit = await get('configmap', 'lit');
      expect(lit.data).toEqual({ a: 'b', x: 'y' });
      expect(lit.binaryData).toBeUndefined();
      expect(lit.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
      expect(lit.metadata.managedFields?.map((m) => [m.manager, m.operation, m.fieldsV1])).toEqual([
        ['kubectl-create', 'Update', { 'f:data': { '.': {}, 'f:a': {}, 'f:x': {} } }],
      ]);

      const text = k.writeFile(`settings-${minor}.conf`, 'mode=prod\nlevel=2\n');
      const blob = join(k.dir, 'files', `blob-${minor}.bin`);
      const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80, 0x7f]);
      writeFileSync(blob, bytes);
      expect(await run(['create', 'configmap', 'files', `--from-file=settings.conf=${text}`, `--from-file=blob=${blob}`])).toEqual({
        code: 0,
        stdout: 'configmap/files created\n',
        stderr: '',
      });
      const files = await get('configmap', 'files');
      // Text that is valid UTF-8 goes to data, anything else to binaryData (bytes in protobuf, base64 in JSON).
      expect(files.data).toEqual({ 'settings.conf': 'mode=prod\nlevel=2\n' });
      expect(files.binaryData).toEqual({ blob: bytes.toString('base64') });
      expect(files.metadata.managedFields?.[0].fieldsV1).toEqual({ 'f:binaryData': { '.': {}, 'f:blob': {} }, 'f:data': { '.': {}, 'f:settings.conf': {} } });

      const env = k.writeFile(`app-${minor}.env`, '# comment\nUSER=admin\nEMPTY=\n');
      expect((await run(['create', 'configmap', 'fromenv', `--from-env-file=${env}`])).code).toBe(0);
      expect((await get('configmap', 'fromenv')).data).toEqual({ USER: 'admin', EMPTY: '' });
    });

    it('create secret generic, tls and docker-registry', async () => {
      expect(await run(['create', 'secret', 'generic', 'creds', '--from-literal=user=admin', '--from-literal=password=s3cr3t!'])).toEqual({
        code: 0,
        stdout: 'secret/creds created\n',
        stderr: '',
      });
      const creds = await get('secret', 'creds');
      // The server defaults the type.
      expect(creds.type).toBe('Opaque');
      expect(creds.data).toEqual({ user: b64('admin'), password: b64('s3cr3t!') });

      expect(
        await run(['create', 'secret', 'tls', 'web-tls', `--cert=${join(certDir, 'tls.crt')}`, `--key=${join(certDir, 'tls.key')}`]),
      ).toEqual({ code: 0, stdout: 'secret/web-tls created\n', stderr: '' });
      const tls = await get('secret', 'web-tls');
      expect(tls.type).toBe('kubernetes.io/tls');
      expect(tls.data).toEqual({ 'tls.crt': b64(certPem), 'tls.key': b64(keyPem) });

      expect(
        await run(['create', 'secret', 'docker-registry', 'pull', '--docker-server=registry.example.com', '--docker-username=bot', '--docker-password=pw', '--docker-email=bot@example.com']),
      ).toEqual({ code: 0, stdout: 'secret/pull created\n', stderr: '' });
      const pull = await get('secret', 'pull');
      expect(pull.type).toBe('kubernetes.io/dockerconfigjson');
      expect(Object.keys(pull.data ?? {})).toEqual(['.dockerconfigjson']);
      expect(JSON.parse(Buffer.from(pull.data!['.dockerconfigjson'], 'base64').toString('utf8'))).toEqual({
        auths: { 'registry.example.com': { username: 'bot', password: 'pw', email: 'bot@example.com', auth: b64('bot:pw') } },
      });

      // Type-specific validation happens on the server; the 422 comes back as a protobuf Status.
      expect(await run(['create', 'secret', 'generic', 'half-tls', '--type=kubernetes.io/tls', '--from-literal=tls.crt=x'])).toEqual({
        code: 1,
        stdout: '',
        stderr: 'error: failed to create secret Secret "half-tls" is invalid: data[tls.key]: Required value\n',
      });
      expect((await run(['get', 'secret', 'half-tls'])).code).toBe(1);
    });

    it('create namespace and serviceaccount', async () => {
      const name = `pb-made-${minor}`;
      expect(await k.kubectl(['create', 'namespace', name], { binary })).toEqual({ code: 0, stdout: `namespace/${name} created\n`, stderr: '' });
      const made = await get('namespace', name, false);
      expect(made.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': name });
      expect(made.spec?.finalizers).toEqual(['kubernetes']);
      expect(made.status?.phase).toBe('Active');
      expect(made.metadata.namespace).toBeUndefined();

      expect(await run(['create', 'serviceaccount', 'robot'])).toEqual({ code: 0, stdout: 'serviceaccount/robot created\n', stderr: '' });
      const robot = await get('serviceaccount', 'robot');
      expect(robot.kind).toBe('ServiceAccount');
      expect(robot.metadata.namespace).toBe(ns);
      // Since 1.24 no token Secret is generated for a new ServiceAccount.
      expect(robot.secrets).toBeUndefined();
      // Name and namespace are not tracked, so the create left kubectl-create owning nothing: no entry at all.
      expect(robot.metadata.managedFields).toBeUndefined();
    });

    it('--dry-run=server -o yaml shows the object the server would store and stores nothing', async () => {
      const r = await run(['create', 'configmap', 'dry', '--from-literal=k=v', '--dry-run=server', '-o', 'yaml']);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      const shown = parse(r.stdout) as Stored & { apiVersion: string };
      expect(shown.apiVersion).toBe('v1');
      expect(shown.kind).toBe('ConfigMap');
      expect(shown.data).toEqual({ k: 'v' });
      expect(shown.metadata.name).toBe('dry');
      expect(shown.metadata.namespace).toBe(ns);
      // A dry-run create is defaulted and given a uid and creation time, but never a resourceVersion.
      expect(shown.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
      expect(shown.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(shown.metadata.resourceVersion).toBeUndefined();
      expect(shown.metadata.managedFields).toBeUndefined();
      expect(await run(['get', 'configmap', 'dry'])).toEqual({ code: 1, stdout: '', stderr: 'Error from server (NotFound): configmaps "dry" not found\n' });

      expect(await run(['create', 'secret', 'generic', 'dry-secret', '--from-literal=k=v', '--dry-run=server'])).toEqual({
        code: 0,
        stdout: 'secret/dry-secret created (server dry run)\n',
        stderr: '',
      });
      expect((await run(['get', 'secret', 'dry-secret'])).code).toBe(1);
    });

    it('typed reads (describe) and JSON reads of what the generators stored', async () => {
      expect((await run(['create', 'configmap', 'described', '--from-literal=greeting=hello'])).code).toBe(0);
      const verbose = await run(['describe', 'configmap', 'described', '-v=8']);
      expect(verbose.code).toBe(0);
      expect(verbose.stderr).toMatch(/Accept: application\/vnd\.kubernetes\.protobuf,application\/json/);
      expect(verbose.stdout).toBe(
        [
          'Name:         described',
          `Namespace:    ${ns}`,
          'Labels:       <none>',
          'Annotations:  <none>',
          '',
          'Data',
          '====',
          'greeting:',
          '----',
          'hello',
          '',
          '',
          'BinaryData',
          '====',
          '',
          'Events:  <none>',
          '',
        ].join('\n'),
      );

      // describe lists the object's events (an EventList, also read as protobuf).
      const uid = (await get('configmap', 'described')).metadata.uid;
      const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
      await k.api.create(`/api/v1/namespaces/${ns}/events`, {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: 'described.e2e' },
        involvedObject: { apiVersion: 'v1', kind: 'ConfigMap', name: 'described', namespace: ns, uid },
        reason: 'Tested',
        message: 'made by the test',
        type: 'Normal',
        count: 3,
        firstTimestamp: ago(40),
        lastTimestamp: ago(20),
        source: { component: 'e2e-test' },
      });
      const withEvents = await run(['describe', 'configmap', 'described']);
      expect(withEvents.stderr).toBe('');
      expect(withEvents.stdout).toMatch(/\n\nEvents:\n {2}Type +Reason +Age +From +Message\n {2}---- +------ +---- +---- +-------\n {2}Normal +Tested +20m \(x3 over 40m\) +e2e-test +made by the test\n$/);

      expect((await run(['create', 'secret', 'generic', 'described', '--from-literal=token=abcdef'])).code).toBe(0);
      expect(await run(['describe', 'secret', 'described'])).toEqual({
        code: 0,
        stdout: ['Name:         described', `Namespace:    ${ns}`, 'Labels:       <none>', 'Annotations:  <none>', '', 'Type:  Opaque', '', 'Data', '====', 'token:  6 bytes', ''].join('\n'),
        stderr: '',
      });

      const json = await run(['get', 'cm', 'described', '-o', 'json']);
      expect(json.code).toBe(0);
      const cm = JSON.parse(json.stdout) as Stored & { apiVersion: string };
      expect(cm).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'described', namespace: ns }, data: { greeting: 'hello' } });
      expect(cm.metadata.managedFields).toBeUndefined();
      const name = await run(['get', 'cm', 'described', '-o', 'name']);
      expect(name).toEqual({ code: 0, stdout: 'configmap/described\n', stderr: '' });
    });

    it('API errors come back through protobuf as the real messages', async () => {
      expect((await run(['create', 'configmap', 'taken', '--from-literal=a=b'])).code).toBe(0);
      expect(await run(['create', 'configmap', 'taken', '--from-literal=a=b'])).toEqual({
        code: 1,
        stdout: '',
        stderr: 'error: failed to create configmap: configmaps "taken" already exists\n',
      });
      expect((await run(['create', 'secret', 'generic', 'taken', '--from-literal=a=b'])).code).toBe(0);
      expect(await run(['create', 'secret', 'generic', 'taken', '--from-literal=a=b'])).toEqual({
        code: 1,
        stdout: '',
        stderr: 'error: failed to create secret secrets "taken" already exists\n',
      });
      expect((await run(['create', 'serviceaccount', 'taken'])).code).toBe(0);
      expect(await run(['create', 'serviceaccount', 'taken'])).toEqual({
        code: 1,
        stdout: '',
        stderr: 'error: failed to create serviceaccount: serviceaccounts "taken" already exists\n',
      });
      expect(await k.kubectl(['create', 'namespace', ns], { binary })).toEqual({
        code: 1,
        stdout: '',
        stderr: `Error from server (AlreadyExists): namespaces "${ns}" already exists\n`,
      });
      expect(await k.kubectl(['-n', 'no-such-ns', 'create', 'configmap', 'c', '--from-literal=a=b'], { binary })).toEqual({
        code: 1,
        stdout: '',
        stderr: 'error: failed to create configmap: namespaces "no-such-ns" not found\n',
      });
      expect(await run(['create', 'configmap', 'Bad_Name', '--from-literal=a=b'])).toEqual({
        code: 1,
        stdout: '',
        stderr:
          'error: failed to create configmap: ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')\n',
      });
    });
  });
}
