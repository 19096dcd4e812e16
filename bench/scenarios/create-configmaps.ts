import { freshDir, startBaseline, startKubemu, type Child } from '../lib/child';
import { configMapBody, createNamespace, NAMESPACE, type ScenarioContext } from '../lib/fixtures';
import { runLoad, type LoadResult } from '../lib/load';
import { log, type Row } from '../lib/report';

const CREATES = 10_000;
const CONNECTIONS = 32;
const ROUNDS = 2;

type Synchronous = 'NORMAL' | 'FULL';

function creates(server: Child): Promise<LoadResult> {
  return runLoad({
    url: `${server.url}/api/v1/namespaces/${NAMESPACE}/configmaps`,
    connections: CONNECTIONS,
    amount: CREATES,
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: configMapBody,
    serverCpuMs: server.cpuMs,
  });
}

function problems(side: string, r: LoadResult): string[] {
  return r.ok === CREATES ? [] : [`${side}: only ${r.ok}/${CREATES} creates succeeded (${r.non2xx} non-2xx, ${r.errors} errors)`];
}

/** Each round starts from an empty data dir, so every create is a real insert into a fresh file. */
async function kubemuCreates(synchronous: Synchronous, round: number, ctx: ScenarioContext): Promise<LoadResult> {
  const dir = freshDir(`cm-${synchronous}`);
  const kubemu = await startKubemu({ label: `kubemu-create-${synchronous}-${round}`, dataDir: dir.path, synchronous, cpuProfDir: ctx.cpuProfDir });
  try {
    await createNamespace(kubemu.url);
    return await creates(kubemu);
  } finally {
    await kubemu.stop();
    dir.remove();
  }
}

async function baselineCreates(synchronous: Synchronous): Promise<LoadResult> {
  const dir = freshDir(`cm-raw-${synchronous}`);
  const baseline = await startBaseline('sqlite-server', `raw-sqlite-${synchronous}`, ['--data-dir', dir.path, '--synchronous', synchronous]);
  try {
    return await creates(baseline);
  } finally {
    await baseline.stop();
    dir.remove();
  }
}

function best(results: LoadResult[]): LoadResult {
  return results.reduce((a, b) => (b.rps > a.rps ? b : a));
}

function meanCpu(results: LoadResult[]): number {
  const values = results.map((r) => r.serverCpuUs).filter((v): v is number => v !== undefined);
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN;
}

/** 3. 10k durable ConfigMap creates, 32 clients: kubemu vs one better-sqlite3 INSERT+commit per request. */
export async function createConfigMaps(ctx: ScenarioContext): Promise<Row[]> {
  const rows: Row[] = [];
  for (const synchronous of ['NORMAL', 'FULL'] as const) {
    log(`3 CREATE: ${ROUNDS} alternating rounds of ${CREATES} configmaps, kubemu vs raw better-sqlite3, synchronous=${synchronous}`);
    const kRounds: LoadResult[] = [];
    const bRounds: LoadResult[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      kRounds.push(await kubemuCreates(synchronous, round, ctx));
      bRounds.push(await baselineCreates(synchronous));
    }
    const k = best(kRounds);
    const b = best(bRounds);
    rows.push(
      {
        scenario: '3',
        measure: synchronous === 'FULL' ? 'create ConfigMap, sync FULL (durable)' : 'create ConfigMap, sync NORMAL (no fsync)',
        unit: 'creates/s',
        kubemu: k.rps,
        baseline: b.rps,
        // The target is for durable writes. With WAL and synchronous=NORMAL a commit skips its
        // fsync and may be lost on power failure, so that row is reported without one.
        target: synchronous === 'FULL' ? { text: '≥ 1.0× raw', pass: k.rps >= b.rps && kRounds.every((r) => r.ok === CREATES) } : undefined,
        notes: [
          `sync ${synchronous} rounds, creates/s: kubemu ${kRounds.map((r) => Math.round(r.rps)).join(', ')}; raw ${bRounds.map((r) => Math.round(r.rps)).join(', ')} (best of each shown)`,
          ...kRounds.flatMap((r) => problems('kubemu', r)),
          ...bRounds.flatMap((r) => problems('baseline', r)),
        ],
      },
      { scenario: '3', measure: `create, sync ${synchronous}, server CPU per create`, unit: 'µs', kubemu: meanCpu(kRounds), baseline: meanCpu(bRounds) },
    );
  }
  return rows;
}
