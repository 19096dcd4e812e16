import { request as httpRequest, type ClientRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import { freshDir, startBaseline, startKubemu } from '../lib/child';
import { createNamespace, type ScenarioContext } from '../lib/fixtures';
import { expectOk, keepAliveAgent, postJson } from '../lib/http';
import { log, type Row } from '../lib/report';
import { percentile } from '../lib/stats';

const WATCHERS = 500;
const WARMUP_WRITES = 10;
const WRITES = 200;
const EVENT_TIMEOUT_MS = 5000;
const TARGET_P99_MS = 50;
const NAMESPACE = 'watch';
const NAME = 'fanout';

interface WatchEvent {
  type: string;
  object: { data?: Record<string, string>; message?: string };
}

function seqText(seq: number): string {
  // Fixed width, so every event line, kubemu's and the baseline's, has the same length.
  return String(seq).padStart(6, '0');
}

/**
 * 500 open watch responses read by this process. Receipt time is taken when a chunk arrives, before
 * parsing, so the figure is delivery delay rather than this client's JSON work.
 */
class WatchFleet {
  readonly delays: number[] = [];
  readonly problems: string[] = [];
  lastLine = '';
  private readonly requests: ClientRequest[] = [];
  private readonly startedAt = new Map<number, number>();
  private readonly received = new Map<number, number>();
  private measuring = false;
  private waiting?: { seq: number; resolve: () => void };

  async open(url: string): Promise<void> {
    const opened: Promise<void>[] = [];
    for (let i = 0; i < WATCHERS; i++) {
      opened.push(
        new Promise((resolve, reject) => {
          const req = httpRequest(url, { agent: false }, (res) => {
            if (res.statusCode !== 200) reject(new Error(`watch answered ${res.statusCode}`));
            let buffer = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              const at = performance.now();
              buffer += chunk;
              let newline: number;
              while ((newline = buffer.indexOf('\n')) >= 0) {
                this.onLine(buffer.slice(0, newline + 1), at);
                buffer = buffer.slice(newline + 1);
              }
            });
            res.on('error', () => undefined);
            resolve();
          });
          req.on('error', (err) => {
            if (!req.destroyed) reject(err);
          });
          req.end();
          this.requests.push(req);
        }),
      );
    }
    await Promise.all(opened);
  }

  private onLine(line: string, at: number): void {
    const event = JSON.parse(line) as WatchEvent;
    if (event.type === 'ERROR') {
      this.problems.push(`watch ERROR: ${event.object.message ?? line.slice(0, 200)}`);
      return;
    }
    const seq = Number(event.object.data?.seq);
    const started = this.startedAt.get(seq);
    if (started === undefined) return;
    this.lastLine = line;
    if (this.measuring) this.delays.push(at - started);
    const count = (this.received.get(seq) ?? 0) + 1;
    this.received.set(seq, count);
    if (count === WATCHERS && this.waiting?.seq === seq) this.waiting.resolve();
  }

  /** Marks a write as started; every watcher's receipt of `seq` is timed from here. */
  begin(seq: number, measuring: boolean): Promise<void> {
    this.measuring = measuring;
    this.startedAt.set(seq, performance.now());
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.problems.push(`event ${seq}: ${this.received.get(seq) ?? 0}/${WATCHERS} watchers received it within ${EVENT_TIMEOUT_MS} ms`);
        resolve();
      }, EVENT_TIMEOUT_MS);
      this.waiting = {
        seq,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
    });
  }

  close(): void {
    for (const req of this.requests) req.destroy();
  }
}

type Writer = (seq: number) => Promise<void>;

/** Writes one at a time, each waiting until all 500 watchers have its event, so events never queue behind each other. */
async function drive(fleet: WatchFleet, write: Writer): Promise<void> {
  for (let seq = 1; seq <= WARMUP_WRITES + WRITES; seq++) {
    const delivered = fleet.begin(seq, seq > WARMUP_WRITES);
    await Promise.all([write(seq), delivered]);
  }
}

/** 4. 500 watchers on configmaps, updates one at a time: write start to each watcher's receipt. */
export async function watchFanout(ctx: ScenarioContext): Promise<Row[]> {
  const dir = freshDir('watch');
  const kubemu = await startKubemu({ label: 'kubemu-watch', dataDir: dir.path, cpuProfDir: ctx.cpuProfDir });
  const kFleet = new WatchFleet();
  const bFleet = new WatchFleet();
  let baseline;
  try {
    await createNamespace(kubemu.url, NAMESPACE);
    const collection = `${kubemu.url}/api/v1/namespaces/${NAMESPACE}/configmaps`;
    const created = await postJson(collection, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: NAME }, data: { seq: seqText(0) } });
    let resourceVersion = (JSON.parse(created.body.toString('utf8')) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;

    log(`4 WATCH: kubemu, ${WATCHERS} watchers, ${WRITES} updates`);
    await kFleet.open(`${collection}?watch=1&resourceVersion=${resourceVersion}`);
    const agent = keepAliveAgent();
    await drive(kFleet, async (seq) => {
      const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: NAME, namespace: NAMESPACE, resourceVersion }, data: { seq: seqText(seq) } });
      const res = await expectOk(`${collection}/${NAME}`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body, agent });
      resourceVersion = (JSON.parse(res.body.toString('utf8')) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    });
    kFleet.close();

    // The baseline broadcasts kubemu's own event line, only the sequence number changed.
    const template = kFleet.lastLine;
    const lastSeq = `"seq":"${seqText(WARMUP_WRITES + WRITES)}"`;
    if (!template.includes(lastSeq)) throw new Error(`unexpected watch line: ${template.slice(0, 300)}`);
    baseline = await startBaseline('broadcast-server', 'raw-broadcast');
    log(`4 WATCH: raw node:http broadcast, ${WATCHERS} watchers`);
    await bFleet.open(`${baseline.url}/watch`);
    await drive(bFleet, async (seq) => {
      await expectOk(`${baseline!.url}/broadcast`, { method: 'POST', body: template.replace(lastSeq, `"seq":"${seqText(seq)}"`), agent });
    });
    agent.destroy();

    const target = percentile(kFleet.delays, 99);
    const expected = WATCHERS * WRITES;
    const notes = [
      ...kFleet.problems.slice(0, 5).map((p) => `kubemu ${p}`),
      ...bFleet.problems.slice(0, 5).map((p) => `baseline ${p}`),
      ...(kFleet.delays.length !== expected ? [`kubemu: ${kFleet.delays.length}/${expected} receipts`] : []),
    ];
    return [
      { scenario: '4', measure: `watch fan-out ×${WATCHERS} p50`, unit: 'ms', kubemu: percentile(kFleet.delays, 50), baseline: percentile(bFleet.delays, 50), notes },
      {
        scenario: '4',
        measure: `watch fan-out ×${WATCHERS} p99`,
        unit: 'ms',
        kubemu: target,
        baseline: percentile(bFleet.delays, 99),
        target: { text: `p99 < ${TARGET_P99_MS} ms`, pass: target < TARGET_P99_MS && kFleet.delays.length === expected },
      },
    ];
  } finally {
    kFleet.close();
    bFleet.close();
    await kubemu.stop();
    await baseline?.stop();
    dir.remove();
  }
}
