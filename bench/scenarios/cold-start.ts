import { freshDir, spawnServer } from '../lib/child';
import { type ScenarioContext } from '../lib/fixtures';
import { freePort } from '../lib/http';
import { baselineScript, KUBEMU_MAIN } from '../lib/paths';
import { log, type Row } from '../lib/report';
import { median } from '../lib/stats';

const RUNS = 5;
const TARGET_MS = 1000;

interface Start {
  ms: number;
  cpuMs: number;
}

async function kubemuStart(ctx: ScenarioContext, run: number): Promise<Start> {
  const dir = freshDir('cold');
  const port = await freePort();
  const child = await spawnServer({
    label: `kubemu-cold-start-${run}`,
    args: [KUBEMU_MAIN, 'serve', '--host', '127.0.0.1', '--port', String(port), '--data-dir', dir.path, '--log-level', 'error'],
    readyPath: '/readyz',
    port,
    cpuProfDir: run === 0 ? ctx.cpuProfDir : undefined,
  });
  await child.stop();
  dir.remove();
  return { ms: child.startMs, cpuMs: child.startCpuMs ?? Number.NaN };
}

async function helloStart(): Promise<Start> {
  const port = await freePort();
  const child = await spawnServer({ label: 'raw-hello', args: [baselineScript('hello-server'), '--port', String(port)], readyPath: '/', port });
  await child.stop();
  return { ms: child.startMs, cpuMs: child.startCpuMs ?? Number.NaN };
}

/** 5. Spawn to first 200 from /readyz on a fresh data dir, vs a bare node:http hello server. */
export async function coldStart(ctx: ScenarioContext): Promise<Row[]> {
  log(`5 COLD START: ${RUNS} spawns of each, after one uncounted warm-up of each`);
  // The uncounted first spawns put node and the modules in the page cache for both sides alike.
  await kubemuStart({}, -1);
  await helloStart();
  const kRuns: Start[] = [];
  const bRuns: Start[] = [];
  for (let run = 0; run < RUNS; run++) {
    kRuns.push(await kubemuStart(ctx, run));
    bRuns.push(await helloStart());
  }
  const k = kRuns.map((r) => r.ms);
  const b = bRuns.map((r) => r.ms);
  const m = median(k);
  return [
    {
      scenario: '5',
      measure: `cold start to /readyz, median of ${RUNS}`,
      unit: 'ms',
      kubemu: m,
      baseline: median(b),
      target: { text: `< ${TARGET_MS} ms`, pass: m < TARGET_MS },
      notes: [`kubemu runs: ${k.map((v) => v.toFixed(0)).join(', ')} ms; hello runs: ${b.map((v) => v.toFixed(0)).join(', ')} ms`],
    },
    {
      scenario: '5',
      measure: 'cold start, CPU used until ready, median',
      unit: 'ms',
      kubemu: median(kRuns.map((r) => r.cpuMs)),
      baseline: median(bRuns.map((r) => r.cpuMs)),
    },
  ];
}
