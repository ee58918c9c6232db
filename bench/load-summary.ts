/**
 * What bench/load.ts puts in RESULTS.md: its result as tables and notes for bench/record.ts. Pure, so the same
 * function renders a fresh run and an older result file.
 */
import type { BenchRecord } from './record';

export interface LoadRun {
  name: string;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  peakRssMb: number;
  non2xx: number;
  errors: number;
  cpuUsPerReq: number;
  redisCpuUsPerReq?: number;
  roundPcts?: number[];
  ofBaselinePct?: number;
}

export interface LoadResult {
  at: string;
  machine: { cpus: number; cpuModel?: string; node: string };
  settings: { connections: number; durationSeconds: number; rounds: number; workers: number; appendfsync: string; logLevel: string };
  runs: LoadRun[];
  soak?: Record<string, number | number[]>;
  targets: Record<string, boolean>;
}

export function loadSummary(r: LoadResult): Pick<BenchRecord, 'title' | 'tables' | 'notes'> {
  const s = r.settings;
  const rows = r.runs.map((run, i) => [
    run.name, run.requestsPerSec, i === 0 ? '100%' : `${run.ofBaselinePct}%`, run.p50Ms, run.p99Ms, run.peakRssMb,
    run.non2xx + run.errors, run.cpuUsPerReq, run.redisCpuUsPerReq ?? '-', (run.roundPcts ?? []).map((p) => `${p}%`).join(', '),
  ]);
  const notes = [
    `${s.rounds} rounds of ${s.durationSeconds} s per endpoint, ${s.connections} connections, WORKERS=${s.workers}, ` +
      `appendfsync ${s.appendfsync}, LOG_LEVEL ${s.logLevel}; req/s, latencies and CPU are medians over the rounds, ` +
      `"of baseline" the median of each round's share of the baseline measured just before it.`,
  ];
  const soak = r.soak as Record<string, number> | undefined;
  if (soak) {
    notes.push(
      `Soak: ${soak.seconds} s of POST /v1/comments after ${soak.warmupSeconds} s of warm-up, ${soak.requestsPerSec} req/s, ` +
        `p99 ${soak.p99Ms} ms, RSS (median of the first and last minute) ${soak.rssStartMb} -> ${soak.rssEndMb} MB ` +
        `(${soak.rssGrowthPct}%), non-2xx ${soak.non2xx}.`,
    );
  }
  notes.push(...Object.entries(r.targets).map(([k, ok]) => `${ok ? 'PASS' : 'FAIL'}: ${k}`));
  return {
    title: `HTTP load against a bare express baseline (WORKERS=${s.workers})`,
    tables: [
      {
        columns: ['endpoint', 'req/s', 'of baseline', 'p50 ms', 'p99 ms', 'peak RSS MB', 'non-2xx/err', 'CPU µs/req', 'redis µs/req', 'share per round'],
        rows,
      },
    ],
    notes,
  };
}
