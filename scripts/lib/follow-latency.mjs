// The live-follow figure of a store with a gap-free follow() (logs, events): one record written,
// then one follow() from the previous cursor — what a follower on an SSE stream pays per line.
// Measured twice: with nothing else open, and with another writer's batch held open throughout
// (the follower must neither wait for it nor lose it: it is handed out once, after its commit).
import { performance } from 'node:perf_hooks';

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/**
 * @param {{ rounds: number,
 *   follow(cursor?: string): Promise<{ items: unknown[], next: string }>,
 *   write(round: number): Promise<void>,
 *   hold(): Promise<{ commit(): Promise<void> }> }} store  follow/write/hold of one record each, in one followed scope
 * @returns {Promise<{ quiet: { p50: number, p95: number }, held: { p50: number, p95: number } }>}
 */
export async function measureFollow({ rounds, follow, write, hold }) {
  let { next } = await follow();
  const measure = async () => {
    const times = [];
    for (let i = 0; i < rounds; i++) {
      const t0 = performance.now();
      await write(i);
      const page = await follow(next);
      times.push(performance.now() - t0);
      if (page.items.length !== 1) throw new Error(`follow handed out ${page.items.length} records, expected 1`);
      next = page.next;
    }
    times.sort((a, b) => a - b);
    return { p50: percentile(times, 50), p95: percentile(times, 95) };
  };
  const quiet = await measure();
  const slow = await hold();
  const held = await measure();
  await slow.commit();
  const late = await follow(next);
  if (late.items.length !== 1) throw new Error(`the held batch was handed out as ${late.items.length} records after its commit, expected 1`);
  return { quiet, held };
}

/** Two lines for a bench's output. */
export function followLines(what, rounds, total, { quiet, held }) {
  const f = (n) => n.toFixed(1);
  return [
    `${what} follow, ${rounds} rounds over ${total} stored: write 1 → follow() hands it out: p50 ${f(quiet.p50)} ms, p95 ${f(quiet.p95)} ms`,
    `  the same with a slow batch held open: p50 ${f(held.p50)} ms, p95 ${f(held.p95)} ms`,
  ];
}
