import { freshDir, startBaseline, startKubemu } from '../lib/child';
import { createNamespace, NAMESPACE, podBody, writeStaticManifest, type ScenarioContext } from '../lib/fixtures';
import { expectOk, keepAliveAgent } from '../lib/http';
import { runLoad } from '../lib/load';
import { log, type Row } from '../lib/report';
import { median, percentile } from '../lib/stats';

const PODS = 10_000;
const CREATE_CONNECTIONS = 32;
const WARMUP = 3;
const SAMPLES = 20;
const TARGET_MS = 150;
/** What `kubectl get` asks for; the JSON form is what informers and client libraries ask for. */
const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io';

interface Latencies {
  p50: number;
  p95: number;
}

/** Sequential requests on one keep-alive socket; time is request start to last body byte. */
async function sampleLatency(url: string, accept: string): Promise<Latencies> {
  const agent = keepAliveAgent();
  try {
    const times: number[] = [];
    for (let i = 0; i < WARMUP + SAMPLES; i++) {
      const res = await expectOk(url, { headers: { Accept: accept }, agent });
      if (i >= WARMUP) times.push(res.ms);
    }
    return { p50: median(times), p95: percentile(times, 95) };
  } finally {
    agent.destroy();
  }
}

/** 2. LIST 10k pods (JSON and kubectl's Table) vs node:http replaying the same response bytes. */
export async function listPods(ctx: ScenarioContext): Promise<Row[]> {
  const tmp = freshDir('list');
  const kubemu = await startKubemu({ label: 'kubemu-list-pods', dataDir: tmp.path, cpuProfDir: ctx.cpuProfDir });
  let baseline;
  try {
    await createNamespace(kubemu.url);
    const path = `/api/v1/namespaces/${NAMESPACE}/pods`;
    log(`2 LIST: creating ${PODS} pods through the API, ${CREATE_CONNECTIONS} connections`);
    const created = await runLoad({
      url: kubemu.url + path,
      connections: CREATE_CONNECTIONS,
      amount: PODS,
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: podBody,
    });
    if (created.ok !== PODS) throw new Error(`created ${created.ok}/${PODS} pods (${created.non2xx} non-2xx, ${created.errors} errors)`);

    const json = await expectOk(kubemu.url + path, { headers: { Accept: 'application/json' } });
    const table = await expectOk(kubemu.url + path, { headers: { Accept: TABLE_ACCEPT } });
    const items = (JSON.parse(json.body.toString('utf8')) as { items: unknown[] }).items.length;
    const rows = (JSON.parse(table.body.toString('utf8')) as { rows: unknown[] }).rows.length;
    if (items !== PODS || rows !== PODS) throw new Error(`list returned ${items} items and ${rows} table rows, expected ${PODS}`);

    log(`2 LIST: kubemu, ${SAMPLES} lists of each form (${(json.body.length / 1e6).toFixed(1)} MB JSON, ${(table.body.length / 1e6).toFixed(1)} MB Table)`);
    const kJson = await sampleLatency(kubemu.url + path, 'application/json');
    const kTable = await sampleLatency(kubemu.url + path, TABLE_ACCEPT);

    // The baseline answers each form with kubemu's own bytes: what is left is transfer and parsing.
    const tablePath = `${path}/as-table`;
    const manifest = writeStaticManifest(tmp.path, {
      [path]: { contentType: String(json.headers['content-type']), body: json.body },
      [tablePath]: { contentType: String(table.headers['content-type']), body: table.body },
    });
    baseline = await startBaseline('static-server', 'raw-static-list', ['--manifest', manifest]);
    log('2 LIST: raw node:http with the same bytes');
    const bJson = await sampleLatency(baseline.url + path, 'application/json');
    const bTable = await sampleLatency(baseline.url + tablePath, TABLE_ACCEPT);

    const target = (ms: number) => ({ text: `< ${TARGET_MS} ms`, pass: ms < TARGET_MS });
    return [
      {
        scenario: '2',
        measure: 'LIST 10k pods JSON p50',
        unit: 'ms',
        kubemu: kJson.p50,
        baseline: bJson.p50,
        target: target(kJson.p50),
        notes: [`creating ${PODS} pods through the API took ${created.seconds.toFixed(1)} s (${Math.round(created.rps)} creates/s)`],
      },
      { scenario: '2', measure: 'LIST 10k pods JSON p95', unit: 'ms', kubemu: kJson.p95, baseline: bJson.p95, target: target(kJson.p95) },
      { scenario: '2', measure: 'LIST 10k pods Table p50', unit: 'ms', kubemu: kTable.p50, baseline: bTable.p50, target: target(kTable.p50) },
      { scenario: '2', measure: 'LIST 10k pods Table p95', unit: 'ms', kubemu: kTable.p95, baseline: bTable.p95, target: target(kTable.p95) },
    ];
  } finally {
    await kubemu.stop();
    await baseline?.stop();
    tmp.remove();
  }
}
