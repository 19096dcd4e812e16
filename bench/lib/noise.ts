import { readFileSync } from 'node:fs';

/**
 * The bench shares two cores with whatever else runs on the machine (builds, test suites). This
 * measures how much CPU everything else took during a scenario, so a noisy figure is labelled as
 * such instead of being mistaken for a regression. Linux /proc only; elsewhere it reports nothing.
 */
const TICK_US = 1e6 / 100; // USER_HZ is 100 on every Linux this runs on.

let childTicks = 0;

function busyTicks(): number | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = fields;
    return user + nice + system + irq + softirq + (steal ?? 0);
  } catch {
    return undefined;
  }
}

function processTicks(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th overall.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

/**
 * CPU milliseconds a process has used so far. Unlike throughput, CPU per request barely moves when
 * other work competes for the cores, so it is the figure to trust on a busy machine.
 */
export function processCpuMs(pid: number | undefined): number | undefined {
  const ticks = processTicks(pid);
  return ticks === undefined ? undefined : (ticks * TICK_US) / 1000;
}

/** Call just before stopping a child, while /proc/<pid> still exists. */
export function recordChildCpu(pid: number | undefined): void {
  // A child already gone shows up as "other" CPU, which errs on the side of calling a run noisy.
  childTicks += processTicks(pid) ?? 0;
}

export interface CpuWindow {
  /** Average cores used by processes other than the bench and its servers. */
  stop(): number | undefined;
}

export function cpuWindow(): CpuWindow {
  const busy0 = busyTicks();
  const own0 = process.cpuUsage();
  const child0 = childTicks;
  const t0 = process.hrtime.bigint();
  return {
    stop: () => {
      const busy1 = busyTicks();
      if (busy0 === undefined || busy1 === undefined) return undefined;
      const own = process.cpuUsage(own0);
      const elapsedUs = Number(process.hrtime.bigint() - t0) / 1000;
      const foreignUs = (busy1 - busy0 - (childTicks - child0)) * TICK_US - (own.user + own.system);
      return Math.max(0, foreignUs / elapsedUs);
    },
  };
}

/**
 * Waits (up to `maxMs`) for a one-second window in which other processes use under `threshold`
 * cores, so a scenario does not start in the middle of someone's build. Returns the last reading.
 */
export async function waitForQuiet(maxMs: number, threshold = 0.25): Promise<number | undefined> {
  const deadline = Date.now() + maxMs;
  for (;;) {
    const window = cpuWindow();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const foreign = window.stop();
    if (foreign === undefined || foreign < threshold || Date.now() >= deadline) return foreign;
  }
}
