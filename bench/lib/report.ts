export interface Target {
  text: string;
  pass: boolean;
}

export interface Row {
  scenario: string;
  measure: string;
  unit: string;
  kubemu: number;
  baseline: number;
  target?: Target;
  /** Anything odd seen while measuring (failed requests, lost events), shown under the table. */
  notes?: string[];
}

function fmt(value: number, unit: string): string {
  if (!Number.isFinite(value)) return 'n/a';
  const digits = unit === 'ms' && value < 10 ? 2 : unit === 'ms' && value < 100 ? 1 : 0;
  if (unit === 'µs') return `${Math.round(value)} µs`;
  return `${value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${unit}`;
}

function ratio(row: Row): string {
  if (!(row.baseline > 0) || !Number.isFinite(row.kubemu)) return 'n/a';
  return `${(row.kubemu / row.baseline).toFixed(2)}×`;
}

/** A Markdown table, so the printed result can be pasted into bench/README.md as is. */
export function renderTable(rows: readonly Row[]): string {
  const header = ['#', 'measure', 'kubemu', 'baseline', 'kubemu / baseline', 'target', 'result'];
  const lines = rows.map((r) => [
    r.scenario,
    r.measure,
    fmt(r.kubemu, r.unit),
    fmt(r.baseline, r.unit),
    ratio(r),
    r.target?.text ?? '',
    r.target ? (r.target.pass ? 'PASS' : 'MISS') : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(line)].join('\n');
}

export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
