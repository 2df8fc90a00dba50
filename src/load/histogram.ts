// HdrHistogram helpers. Every histogram calspec builds uses the same settings so any two can be
// added exactly: shard and worker results merge by decoding and adding, never by averaging
// percentiles (which is wrong for tails).
import * as hdr from 'hdr-histogram-js';
import type { LatencySummary } from '../model/load.js';

export type Histogram = hdr.Histogram;

/** Microseconds: 1 µs resolution, 3 significant digits, grows as needed (no upper clamp). */
export function newHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: 32,
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 2,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
}

export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

export function decodeHistogram(encoded: string): Histogram {
  const h = newHistogram();
  if (encoded) h.add(hdr.decodeFromCompressedBase64(encoded, 32, false));
  return h;
}

/** Sum encoded histograms into a new one (exact: bucket counts add). */
export function mergeEncoded(encoded: string[]): Histogram {
  const out = newHistogram();
  for (const e of encoded) if (e) out.add(decodeHistogram(e));
  return out;
}

export function summarize(h: Histogram): LatencySummary {
  const count = h.totalCount;
  if (count === 0) return { count: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0 };
  return {
    count,
    p50: h.getValueAtPercentile(50),
    p90: h.getValueAtPercentile(90),
    p99: h.getValueAtPercentile(99),
    p999: h.getValueAtPercentile(99.9),
    // Not h.maxValue: it is the exact recorded value locally but a bucket bound after decoding, and
    // merged results must equal those of one histogram fed every value.
    max: h.getValueAtPercentile(100),
    mean: Math.round(h.mean),
  };
}
