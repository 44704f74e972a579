// Ratios, the one stdout table, and the JSON file.
import fs from 'node:fs';
import path from 'node:path';

/** The targets for Praetor, by scenario (checked in the notes column). */
const GOALS = {
  'kv-get': { consul: 1.0, bare: 0.75 },
  'kv-put': { consul: 2.0 },
  'health-100': { consul: 5.0 },
  'health-1000': { consul: 5.0 },
};

export function addRatios(rows) {
  for (const row of rows) {
    if (row.status !== 'ok') continue;
    const peer = (target) => rows.find((r) => r.scenario === row.scenario && r.target === target && r.status === 'ok');
    const consul = peer('consul');
    const bare = peer('bare');
    if (row.target === 'praetor' && consul) {
      row.ratioConsul = row.kind === 'watch'
        ? ratio(consul.t100, row.t100)
        : ratio(row.rps, consul.rps);
    }
    if (row.scenario === 'kv-get' && bare && row.target !== 'bare') row.ratioBare = ratio(row.rps, bare.rps);
    const goal = GOALS[row.scenario];
    if (row.target === 'praetor' && goal) {
      const parts = [];
      if (goal.consul !== undefined && row.ratioConsul != null) parts.push(`≥${goal.consul.toFixed(1)}× Consul ${row.ratioConsul >= goal.consul ? 'met' : 'MISSED'}`);
      if (goal.bare !== undefined && row.ratioBare != null) parts.push(`≥${Math.round(goal.bare * 100)}% bare ${row.ratioBare >= goal.bare ? 'met' : 'MISSED'}`);
      if (parts.length) row.notes.unshift(`goal ${parts.join(', ')}`);
    }
  }
}

const ratio = (a, b) => (a == null || b == null || b === 0 ? null : a / b);
const num = (v, digits) => (v == null ? '—' : v.toFixed(digits));

export function formatTable(rows) {
  const header = ['scenario', 'target', 'req/s', 'p50 ms', 'p99 ms', 'vs Consul', 'vs bare', 'errors / notes'];
  const body = rows.map((r) => {
    if (r.status !== 'ok') {
      return [r.title, r.target, 'n/a', 'n/a', 'n/a', 'n/a', r.scenario === 'kv-get' && r.target !== 'bare' ? 'n/a' : '', r.notes.join('; ')];
    }
    return [
      r.title,
      r.target,
      r.kind === 'watch' ? '—' : Math.round(r.rps).toString(),
      num(r.p50, 2),
      num(r.p99, 2),
      r.ratioConsul == null ? '' : `${r.ratioConsul.toFixed(2)}×`,
      r.ratioBare == null ? '' : `${(r.ratioBare * 100).toFixed(0)}%`,
      r.notes.join('; '),
    ];
  });
  const all = [header, ...body];
  const widths = header.map((_, c) => Math.max(...all.map((line) => [...line[c]].length)));
  const right = new Set([2, 3, 4, 5, 6]);
  const fmt = (line) => line.map((cell, c) => (right.has(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join(' | ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('-|-');
  return [fmt(header), rule, ...body.map(fmt)].join('\n');
}

export function writeJson(file, data) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
}
