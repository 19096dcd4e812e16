import { mkdtempSync } from 'node:fs';
import { cpus, freemem, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type ScenarioContext } from './lib/fixtures';
import { cpuWindow, waitForQuiet } from './lib/noise';
import { assertBuilt } from './lib/paths';
import { profilesIn, summarizeProfile } from './lib/profile';
import { log, renderTable, type Row } from './lib/report';
import { coldStart } from './scenarios/cold-start';
import { createConfigMaps } from './scenarios/create-configmaps';
import { getPod } from './scenarios/get-pod';
import { listPods } from './scenarios/list-pods';
import { protobuf } from './scenarios/protobuf';
import { watchFanout } from './scenarios/watch-fanout';

const USAGE = `usage: node dist/bench/run.js [--only 1,2,3,4,5,6] [--cpu-prof]
  --only      run only these scenarios (1 GET, 2 LIST, 3 CREATE, 4 WATCH, 5 COLD START, 6 PROTOBUF)
  --cpu-prof  run every kubemu child under node --cpu-prof and print where its CPU time went`;

/** How long each scenario may wait for other work on the machine to die down before it starts. */
const QUIET_WAIT_MS = 15_000;

const SCENARIOS: Record<string, (ctx: ScenarioContext) => Promise<Row[]>> = {
  '1': getPod,
  '2': listPods,
  '3': createConfigMaps,
  '4': watchFanout,
  '5': coldStart,
  '6': protobuf,
};

function parseArgs(argv: string[]): { only: string[]; cpuProf: boolean } {
  let only = Object.keys(SCENARIOS);
  let cpuProf = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--cpu-prof') cpuProf = true;
    else if (arg === '--only' || arg.startsWith('--only=')) {
      const value = arg.includes('=') ? arg.split('=')[1] : argv[++i];
      only = (value ?? '').split(',').filter(Boolean);
      const unknown = only.filter((s) => !SCENARIOS[s]);
      if (unknown.length || !only.length) throw new Error(`unknown scenario ${unknown.join(',') || '(none)'}\n${USAGE}`);
    } else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  return { only, cpuProf };
}

function machine(): string {
  const cpu = cpus();
  return [
    `machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM (${(freemem() / 2 ** 30).toFixed(1)} free), ${process.platform}/${process.arch}`,
    `node ${process.versions.node}; load generator and servers share these cores; data dirs under ${tmpdir()}`,
  ].join('\n');
}

async function main(): Promise<void> {
  const { only, cpuProf } = parseArgs(process.argv.slice(2));
  assertBuilt();
  const ctx: ScenarioContext = cpuProf ? { cpuProfDir: mkdtempSync(join(tmpdir(), 'kubemu-bench-prof-')) } : {};
  const started = performance.now();
  const rows: Row[] = [];
  const noise: string[] = [];
  let noisy = false;
  for (const id of only) {
    const before = await waitForQuiet(QUIET_WAIT_MS);
    if (before !== undefined && before > 0.25) log(`other processes are using ${before.toFixed(2)} cores; starting scenario ${id} anyway`);
    const window = cpuWindow();
    rows.push(...(await SCENARIOS[id](ctx)));
    const foreign = window.stop();
    if (foreign !== undefined) noise.push(`${id}: ${foreign.toFixed(2)}`);
    // A quarter of a core is well above the background of an idle machine (~0.05 here).
    if (foreign !== undefined && foreign > 0.25) noisy = true;
  }
  const seconds = (performance.now() - started) / 1000;

  const notes = rows.flatMap((r) => (r.notes ?? []).map((n) => `- ${r.scenario}: ${n}`));
  console.log(`\n${machine()}\nbench took ${seconds.toFixed(0)} s\n`);
  console.log(renderTable(rows));
  if (notes.length) console.log(`\n${notes.join('\n')}`);
  if (noise.length) {
    console.log(`\nCPU used by other processes (average cores) per scenario: ${noise.join(', ')}`);
    if (noisy) console.log('WARNING: other processes took CPU from the bench; throughput and latency figures are low by an unknown amount. CPU-per-request rows are less affected. Rerun on a quiet machine.');
  }
  const missed = rows.filter((r) => r.target && !r.target.pass);
  console.log(`\n${rows.filter((r) => r.target).length - missed.length} targets met, ${missed.length} missed${missed.length ? `: ${missed.map((r) => r.measure).join('; ')}` : ''}`);
  if (ctx.cpuProfDir) {
    console.log(`\nCPU profiles of the kubemu children (open in Chrome DevTools or speedscope): ${ctx.cpuProfDir}`);
    for (const file of profilesIn(ctx.cpuProfDir)) console.log(`\n${summarizeProfile(file)}`);
  }
}

main().catch((err: unknown) => {
  log(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
