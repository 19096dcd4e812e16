/**
 * CronJob schedules as the real API server reads them: github.com/robfig/cron/v3's ParseStandard
 * (five fields, named months and weekdays, `@hourly`-style descriptors, `@every <duration>`, an
 * optional `TZ=`/`CRON_TZ=` prefix), with its error texts for validation; the times themselves come
 * from the cron-parser library, in the schedule's time zone.
 */
import { CronExpressionParser } from 'cron-parser';

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTH_NAMES: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DAY_NAMES: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const FIELD_BOUNDS: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTH_NAMES },
  { min: 0, max: 6, names: DAY_NAMES },
];
/** The descriptors robfig/cron accepts, as the five fields they stand for. */
const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

export class ScheduleError extends Error {}

/** strconv.Atoi of a non-negative number, with robfig's wording. */
function parseNumber(text: string): number {
  if (!/^[+-]?[0-9]+$/.test(text)) throw new ScheduleError(`failed to parse int from ${text}: strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`);
  const value = Number(text);
  if (value < 0) throw new ScheduleError(`negative number (${value}) not allowed: ${text}`);
  return value;
}

function parseNumberOrName(text: string, bounds: Bounds): number {
  const named = bounds.names?.[text.toLowerCase()];
  return named ?? parseNumber(text);
}

/** getRange: one comma-separated part of a field (`*`, `5`, `1-5`, `*\/15`, `mon-fri/2`). */
function checkRange(expr: string, bounds: Bounds): void {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  let start: number;
  let end: number;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = bounds.min;
    end = bounds.max;
  } else {
    start = parseNumberOrName(lowAndHigh[0], bounds);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseNumberOrName(lowAndHigh[1], bounds);
    else throw new ScheduleError(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = parseNumber(rangeAndStep[1]);
    // "N/step" means "N-max/step".
    if (lowAndHigh.length === 1) end = bounds.max;
  } else if (rangeAndStep.length > 2) throw new ScheduleError(`too many slashes: ${expr}`);
  if (start < bounds.min) throw new ScheduleError(`beginning of range (${start}) below minimum (${bounds.min}): ${expr}`);
  if (end > bounds.max) throw new ScheduleError(`end of range (${end}) above maximum (${bounds.max}): ${expr}`);
  if (start > end) throw new ScheduleError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new ScheduleError(`step of range should be a positive number: ${expr}`);
}

/** Go's time.ParseDuration for the units a schedule would use; returns milliseconds. */
function parseGoDuration(text: string): number | undefined {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  if (text === '0') return 0;
  const pattern = /([0-9]*\.?[0-9]+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    total += Number(m[1]) * units[m[2]];
    matched = pattern.lastIndex;
  }
  return matched === text.length && text.length > 0 ? total : undefined;
}

/** Whether `zone` names a time zone this process knows (Go's time.LoadLocation). */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A parsed schedule: the next activation strictly after a given time. */
export interface Schedule {
  next(after: Date): Date;
}

/**
 * cron.ParseStandard. `timeZone` (the CronJob's spec.timeZone) applies unless the text carries its
 * own TZ= prefix; without either, times are UTC, the controller manager's usual zone.
 */
export function parseSchedule(spec: string, timeZone?: string): Schedule {
  if (spec.length === 0) throw new ScheduleError('empty spec string');
  let text = spec;
  let zone = timeZone ?? 'UTC';
  if (text.startsWith('TZ=') || text.startsWith('CRON_TZ=')) {
    const space = text.indexOf(' ');
    const name = text.slice(text.indexOf('=') + 1, space < 0 ? undefined : space);
    if (space < 0 || !isKnownTimeZone(name)) throw new ScheduleError(`provided bad location ${name}: unknown time zone ${name}`);
    zone = name;
    text = text.slice(space).trim();
  }
  if (text.startsWith('@')) {
    if (text.startsWith('@every ')) {
      const delay = parseGoDuration(text.slice('@every '.length));
      if (delay === undefined) throw new ScheduleError(`failed to parse duration ${text}: time: invalid duration ${JSON.stringify(text.slice('@every '.length))}`);
      // ConstantDelaySchedule: at least a second, whole seconds.
      const stepMs = Math.max(1000, Math.floor(delay / 1000) * 1000);
      return { next: (after) => new Date(Math.floor(after.getTime() / 1000) * 1000 + stepMs) };
    }
    const fields = DESCRIPTORS[text];
    if (!fields) throw new ScheduleError(`unrecognized descriptor: ${text}`);
    text = fields;
  }
  const fields = text.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) throw new ScheduleError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  fields.forEach((field, i) => field.split(',').forEach((part) => checkRange(part, FIELD_BOUNDS[i])));
  const expression = fields.join(' ');
  return {
    next(after) {
      return CronExpressionParser.parse(expression, { currentDate: after, tz: zone }).next().toDate();
    },
  };
}

/** The validation text for a bad schedule, or undefined when robfig/cron accepts it. */
export function scheduleError(spec: string): string | undefined {
  try {
    parseSchedule(spec);
    return undefined;
  } catch (err) {
    if (err instanceof ScheduleError) return err.message;
    return (err as Error).message;
  }
}
