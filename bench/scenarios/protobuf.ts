import { decodeProtobufObject, encodeProtobufObject } from '../../src/machinery/protobuf';
import { freshDir, startBaseline, startKubemu, type Child } from '../lib/child';
import { configMapBody, createNamespace, NAMESPACE, podBody, writeStaticManifest, type ScenarioContext } from '../lib/fixtures';
import { expectOk, postJson } from '../lib/http';
import { runLoad, type LoadResult } from '../lib/load';
import { log, type Row } from '../lib/report';

const PROTOBUF = 'application/vnd.kubernetes.protobuf';
const JSON_TYPE = 'application/json';

const GET_CONNECTIONS = 32;
const WARMUP_S = 1;
const ROUND_S = 3;
const GET_ROUNDS = 3;

const CREATES = 10_000;
const CREATE_CONNECTIONS = 32;
const CREATE_ROUNDS = 2;

type Wire = 'protobuf' | 'json';

function best(results: LoadResult[]): LoadResult {
  return results.reduce((a, b) => (b.rps > a.rps ? b : a));
}

function meanCpu(results: LoadResult[]): number {
  const values = results.map((r) => r.serverCpuUs).filter((v): v is number => v !== undefined);
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN;
}

function rounds(results: LoadResult[]): string {
  return results.map((r) => Math.round(r.rps)).join(', ');
}

function failures(side: string, results: LoadResult[], expected?: number): string[] {
  return results.flatMap((r) =>
    r.non2xx || r.errors || (expected !== undefined && r.ok !== expected)
      ? [`${side}: ${expected !== undefined ? `${r.ok}/${expected} succeeded, ` : ''}${r.non2xx} non-2xx, ${r.errors} errors`]
      : [],
  );
}

function accept(wire: Wire): Record<string, string> {
  return { Accept: wire === 'protobuf' ? PROTOBUF : JSON_TYPE };
}

/** 6a. One pod over 32 keep-alive connections: kubemu protobuf vs kubemu JSON vs node:http replaying kubemu's protobuf bytes. */
async function getPodProtobuf(ctx: ScenarioContext): Promise<Row[]> {
  const tmp = freshDir('pb-get');
  const kubemu = await startKubemu({ label: 'kubemu-protobuf-get', dataDir: ':memory:', cpuProfDir: ctx.cpuProfDir });
  let baseline: Child | undefined;
  try {
    await createNamespace(kubemu.url);
    const created = JSON.parse((await postJson(`${kubemu.url}/api/v1/namespaces/${NAMESPACE}/pods`, JSON.parse(podBody(0)))).body.toString('utf8')) as {
      metadata: { name: string; uid: string };
    };
    const path = `/api/v1/namespaces/${NAMESPACE}/pods/${created.metadata.name}`;
    const jsonSample = await expectOk(kubemu.url + path, { headers: accept('json') });
    const pbSample = await expectOk(kubemu.url + path, { headers: accept('protobuf') });
    const contentType = String(pbSample.headers['content-type'] ?? '');
    // A JSON fallback here would make the comparison meaningless, so check that this is the real envelope of the same pod.
    if (!contentType.startsWith(PROTOBUF)) throw new Error(`GET ${path} with Accept ${PROTOBUF} answered ${contentType}`);
    const decoded = decodeProtobufObject(pbSample.body).object as { metadata?: { name?: string; uid?: string } };
    if (decoded.metadata?.uid !== created.metadata.uid || decoded.metadata?.name !== created.metadata.name) {
      throw new Error(`protobuf GET ${path} decoded to a different object (${decoded.metadata?.name}, uid ${decoded.metadata?.uid})`);
    }
    const manifest = writeStaticManifest(tmp.path, { [path]: { contentType, body: pbSample.body } });
    baseline = await startBaseline('static-server', 'raw-static-protobuf', ['--manifest', manifest]);

    const load = (server: Child, wire: Wire, duration: number): Promise<LoadResult> =>
      runLoad({ url: server.url + path, connections: GET_CONNECTIONS, duration, headers: accept(wire), serverCpuMs: server.cpuMs });

    log(
      `6 PROTOBUF GET pod: ${GET_ROUNDS} alternating rounds of ${ROUND_S}s, ${GET_CONNECTIONS} connections, kubemu protobuf (${pbSample.body.length} bytes) vs kubemu JSON (${jsonSample.body.length} bytes) vs raw node:http protobuf`,
    );
    await load(kubemu, 'protobuf', WARMUP_S);
    await load(kubemu, 'json', WARMUP_S);
    await load(baseline, 'protobuf', WARMUP_S);
    const pbRounds: LoadResult[] = [];
    const jsonRounds: LoadResult[] = [];
    const rawRounds: LoadResult[] = [];
    for (let round = 0; round < GET_ROUNDS; round++) {
      pbRounds.push(await load(kubemu, 'protobuf', ROUND_S));
      jsonRounds.push(await load(kubemu, 'json', ROUND_S));
      rawRounds.push(await load(baseline, 'protobuf', ROUND_S));
    }
    const pb = best(pbRounds);
    const json = best(jsonRounds);
    const raw = best(rawRounds);
    const notes = [
      `GET rounds, req/s: kubemu protobuf ${rounds(pbRounds)}; kubemu JSON ${rounds(jsonRounds)}; raw protobuf ${rounds(rawRounds)} (best of each shown); body ${pbSample.body.length} B protobuf, ${jsonSample.body.length} B JSON`,
      ...failures('kubemu protobuf GET', pbRounds),
      ...failures('kubemu JSON GET', jsonRounds),
      ...failures('raw protobuf GET', rawRounds),
    ];
    return [
      { scenario: '6', measure: 'GET pod protobuf, 32 conns (vs raw)', unit: 'req/s', kubemu: pb.rps, baseline: raw.rps, notes },
      { scenario: '6', measure: 'GET pod protobuf, server CPU per request', unit: 'µs', kubemu: meanCpu(pbRounds), baseline: meanCpu(rawRounds) },
      { scenario: '6', measure: 'GET pod, kubemu protobuf ÷ kubemu JSON', unit: 'req/s', kubemu: pb.rps, baseline: json.rps },
      { scenario: '6', measure: 'GET pod, CPU/req protobuf ÷ JSON', unit: 'µs', kubemu: meanCpu(pbRounds), baseline: meanCpu(jsonRounds) },
    ];
  } finally {
    await kubemu.stop();
    await baseline?.stop();
    tmp.remove();
  }
}

/**
 * Bodies are built before the run, for both wires, so the load generator spends the same (nothing)
 * per request on either side. The protobuf side also asks for a protobuf answer (Accept), as a
 * client-go protobuf client does, so the 201 answer is protobuf too.
 */
function createBodies(wire: Wire): Array<string | Buffer> {
  return Array.from({ length: CREATES }, (_, i) =>
    wire === 'protobuf' ? encodeProtobufObject(JSON.parse(configMapBody(i)) as Record<string, unknown>) : configMapBody(i),
  );
}

/** Each round is a fresh kubemu on a fresh file data dir at its default synchronous (FULL). */
async function kubemuCreates(wire: Wire, bodies: Array<string | Buffer>, round: number, ctx: ScenarioContext): Promise<LoadResult> {
  const dir = freshDir(`pb-cm-${wire}`);
  const kubemu = await startKubemu({ label: `kubemu-protobuf-create-${wire}-${round}`, dataDir: dir.path, cpuProfDir: ctx.cpuProfDir });
  try {
    await createNamespace(kubemu.url);
    const result = await runLoad({
      url: `${kubemu.url}/api/v1/namespaces/${NAMESPACE}/configmaps`,
      connections: CREATE_CONNECTIONS,
      amount: CREATES,
      method: 'POST',
      headers: { 'Content-Type': wire === 'protobuf' ? PROTOBUF : JSON_TYPE, ...accept(wire) },
      body: (i) => bodies[i % bodies.length],
      serverCpuMs: kubemu.cpuMs,
    });
    // Both wires must have stored the same object, managedFields included: read one back as JSON.
    const probe = Math.floor(CREATES / 2);
    const stored = JSON.parse((await expectOk(`${kubemu.url}/api/v1/namespaces/${NAMESPACE}/configmaps/cm-${String(probe).padStart(5, '0')}`)).body.toString('utf8')) as {
      metadata: { managedFields?: Array<{ manager?: string }> };
      data?: Record<string, string>;
    };
    const expected = (JSON.parse(configMapBody(probe)) as { data: Record<string, string> }).data;
    if (JSON.stringify(stored.data) !== JSON.stringify(expected)) throw new Error(`${wire} create stored data ${JSON.stringify(stored.data)}, expected ${JSON.stringify(expected)}`);
    if (!stored.metadata.managedFields?.length) throw new Error(`${wire} create recorded no managedFields`);
    return result;
  } finally {
    await kubemu.stop();
    dir.remove();
  }
}

/** 6b. 10k ConfigMap creates, 32 clients, protobuf bodies vs JSON bodies, same kubemu settings. */
async function createProtobuf(ctx: ScenarioContext): Promise<Row[]> {
  const bodies: Record<Wire, Array<string | Buffer>> = { protobuf: createBodies('protobuf'), json: createBodies('json') };
  log(
    `6 PROTOBUF CREATE: ${CREATE_ROUNDS} alternating rounds of ${CREATES} configmaps, ${CREATE_CONNECTIONS} clients, protobuf bodies (${bodies.protobuf[0].length} B) vs JSON bodies (${bodies.json[0].length} B), default synchronous`,
  );
  const pbRounds: LoadResult[] = [];
  const jsonRounds: LoadResult[] = [];
  for (let round = 0; round < CREATE_ROUNDS; round++) {
    // Alternate which wire goes first, so a slow start of the round (disk, page cache) is shared.
    const order: Wire[] = round % 2 === 0 ? ['protobuf', 'json'] : ['json', 'protobuf'];
    for (const wire of order) (wire === 'protobuf' ? pbRounds : jsonRounds).push(await kubemuCreates(wire, bodies[wire], round, ctx));
  }
  const pb = best(pbRounds);
  const json = best(jsonRounds);
  return [
    {
      scenario: '6',
      measure: 'create ConfigMap, protobuf ÷ JSON bodies',
      unit: 'creates/s',
      kubemu: pb.rps,
      baseline: json.rps,
      notes: [
        `create rounds (sync FULL), creates/s: protobuf ${rounds(pbRounds)}; JSON ${rounds(jsonRounds)} (best of each shown)`,
        ...failures('kubemu protobuf create', pbRounds, CREATES),
        ...failures('kubemu JSON create', jsonRounds, CREATES),
      ],
    },
    { scenario: '6', measure: 'create, CPU per create protobuf ÷ JSON', unit: 'µs', kubemu: meanCpu(pbRounds), baseline: meanCpu(jsonRounds) },
  ];
}

/**
 * 6. Kubernetes protobuf against JSON on the same kubemu. No targets: the figures say what the
 * protobuf wire costs or saves, and how close protobuf GET comes to replaying its bytes.
 */
export async function protobuf(ctx: ScenarioContext): Promise<Row[]> {
  return [...(await getPodProtobuf(ctx)), ...(await createProtobuf(ctx))];
}
