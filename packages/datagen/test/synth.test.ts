import { synthesizeLog, SYNTH_COLUMNS, type SynthOptions, type SynthSummary } from '../src/synth';

interface Row {
  session: number;
  user: number;
  item: number;
  category: number;
  timestamp: number;
  event: string;
}

interface Run {
  text: string;
  chunks: string[];
  progress: number[];
  summary: SynthSummary;
  rows: Row[];
}

async function run(options: SynthOptions): Promise<Run> {
  const chunks: string[] = [];
  const progress: number[] = [];
  const summary = await synthesizeLog(options, (chunk) => void chunks.push(chunk), (done) => progress.push(done));
  const text = chunks.join('');
  return { text, chunks, progress, summary, rows: parseRows(text) };
}

function parseRows(text: string): Row[] {
  return text
    .split('\n')
    .slice(1, -1)
    .map((line) => {
      const [session, user, item, category, timestamp, event] = line.split(',');
      return { session: +session, user: +user, item: +item, category: +category, timestamp: +timestamp, event };
    });
}

function groupBy<K>(rows: readonly Row[], key: (row: Row) => K): Map<K, Row[]> {
  const groups = new Map<K, Row[]>();
  for (const row of rows) {
    const group = groups.get(key(row));
    if (group === undefined) groups.set(key(row), [row]);
    else group.push(row);
  }
  return groups;
}

/** Share of consecutive rows from the same session, over the first half of the log (at full concurrency). */
function sameSessionShare(rows: readonly Row[]): number {
  const half = Math.floor(rows.length / 2);
  let same = 0;
  for (let i = 1; i < half; i++) if (rows[i].session === rows[i - 1].session) same++;
  return same / (half - 1);
}

/** Area under the ROC curve, ties counted as half. */
function auc(scores: readonly number[], labels: readonly boolean[]): number {
  const order = scores.map((_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end < order.length && scores[order[end]] === scores[order[start]]) end++;
    for (let k = start; k < end; k++) {
      if (labels[order[k]]) {
        positives++;
        rankSum += (start + 1 + end) / 2;
      }
    }
    start = end;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * (order.length - positives));
}

const SMALL: SynthOptions = { events: 5_000, items: 2_000, categories: 40, concurrentSessions: 200 };
const MEDIUM: SynthOptions = { events: 50_000, items: 10_000, categories: 200, concurrentSessions: 1_000 };

let medium: Run;
beforeAll(async () => {
  medium = await run(MEDIUM);
});

describe('synthesizeLog: format', () => {
  it('writes the fixed header and one well-formed row per event', async () => {
    const { text, rows, summary } = await run(SMALL);
    const lines = text.split('\n');
    expect(lines[0]).toBe('session_id,user_id,item_id,category_id,timestamp,event');
    expect(SYNTH_COLUMNS.join(',')).toBe(lines[0]);
    expect(lines.at(-1)).toBe('');
    expect(lines.length - 2).toBe(5_000);
    const rowFormat = /^[1-9]\d*,[1-9]\d*,[1-9]\d*,[1-9]\d*,\d{13},(view|click|buy)$/;
    expect(lines.slice(1, -1).filter((line) => !rowFormat.test(line))).toEqual([]);
    expect(summary.events).toBe(5_000);
    expect(summary.bytes).toBe(text.length);
    expect(Math.max(...rows.map((row) => row.item))).toBeLessThanOrEqual(2_000);
    expect(Math.max(...rows.map((row) => row.category))).toBeLessThanOrEqual(40);
  });

  it('gives each item exactly one category, and ids that do not follow popularity', () => {
    const categoriesOfItem = groupBy(medium.rows, (row) => row.item);
    const mixed = [...categoriesOfItem.values()].filter((rows) => new Set(rows.map((row) => row.category)).size !== 1);
    expect(mixed).toEqual([]);
    const [mostShown] = [...categoriesOfItem].sort((a, b) => b[1].length - a[1].length)[0];
    expect(mostShown).not.toBe(1);
  });

  it('summarizes what it wrote', () => {
    const { rows, summary } = medium;
    expect(summary.sessions).toBe(new Set(rows.map((row) => row.session)).size);
    expect(summary.users).toBe(new Set(rows.map((row) => row.user)).size);
    expect(summary.items).toBe(new Set(rows.map((row) => row.item)).size);
    expect(summary.clicks).toBe(rows.filter((row) => row.event === 'click').length);
    expect(summary.buys).toBe(rows.filter((row) => row.event === 'buy').length);
    expect(summary.firstTimestamp).toBe(rows[0].timestamp);
    expect(summary.lastTimestamp).toBe(rows.at(-1)!.timestamp);
    expect(summary.meanSessionLength).toBeCloseTo(rows.length / summary.sessions, 10);
  });

  it('streams chunks of about chunkBytes and reports progress after each', async () => {
    const { chunks, progress } = await run({ ...SMALL, chunkBytes: 4096 });
    expect(chunks.length).toBeGreaterThan(10);
    for (const chunk of chunks.slice(0, -1)) {
      expect(chunk.length).toBeGreaterThanOrEqual(4096);
      expect(chunk.length).toBeLessThan(4096 + 100);
      expect(chunk.endsWith('\n')).toBe(true);
    }
    expect(progress).toHaveLength(chunks.length);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(5_000);
  });
});

describe('synthesizeLog: determinism', () => {
  it('gives byte-identical output for the same options, whatever the chunk size', async () => {
    const first = await run({ ...SMALL, seed: 7 });
    expect((await run({ ...SMALL, seed: 7 })).text).toBe(first.text);
    expect((await run({ ...SMALL, seed: 7, chunkBytes: 333 })).text).toBe(first.text);
  });

  it('gives a different log for another seed', async () => {
    const a = await run({ ...SMALL, seed: 7 });
    const b = await run({ ...SMALL, seed: 8 });
    expect(b.text).not.toBe(a.text);
  });
});

describe('synthesizeLog: timeline', () => {
  it('writes rows in global time order, each session strictly increasing', () => {
    const { rows } = medium;
    const backwards = rows.filter((row, i) => i > 0 && row.timestamp < rows[i - 1].timestamp);
    expect(backwards).toEqual([]);
    const notIncreasing = [...groupBy(rows, (row) => row.session).values()].filter((session) =>
      session.some((row, i) => i > 0 && row.timestamp <= session[i - 1].timestamp),
    );
    expect(notIncreasing).toEqual([]);
  });

  it('gives every session its own id and a single user, ids 1..sessions', () => {
    const sessions = groupBy(medium.rows, (row) => row.session);
    expect([...sessions.values()].filter((session) => new Set(session.map((row) => row.user)).size !== 1)).toEqual([]);
    expect([...sessions.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: sessions.size }, (_, i) => i + 1));
  });

  it('keeps each session contiguous with one concurrent session', async () => {
    const { rows, summary } = await run({ ...SMALL, concurrentSessions: 1 });
    const changes = rows.filter((row, i) => i > 0 && row.session !== rows[i - 1].session);
    expect(changes).toHaveLength(summary.sessions - 1);
    // Each change moves on to the next session, never back to an earlier one.
    expect(changes.filter((row, i) => row.session !== i + 2)).toEqual([]);
  });

  it('interleaves sessions more as concurrency grows', async () => {
    const one = await run({ ...SMALL, concurrentSessions: 1 });
    const ten = await run({ ...SMALL, concurrentSessions: 10 });
    const hundred = await run({ ...SMALL, concurrentSessions: 100 });
    expect(sameSessionShare(one.rows)).toBeGreaterThan(0.85);
    expect(sameSessionShare(ten.rows)).toBeGreaterThan(0.02);
    expect(sameSessionShare(ten.rows)).toBeLessThan(0.3);
    expect(sameSessionShare(hundred.rows)).toBeLessThan(0.01);
    expect(sameSessionShare(medium.rows)).toBeLessThan(0.002);
  });

  it('keeps at most concurrentSessions sessions open, and close to that many in steady state', async () => {
    const concurrentSessions = 50;
    const { rows } = await run({ ...SMALL, concurrentSessions });
    // Session s is open from its first row to its last; sweep those intervals in time order.
    const changes: [number, number][] = [];
    for (const [, session] of groupBy(rows, (row) => row.session)) {
      changes.push([session[0].timestamp, 1], [session.at(-1)!.timestamp + 0.5, -1]);
    }
    changes.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let open = 0;
    let most = 0;
    for (const [, delta] of changes) most = Math.max(most, (open += delta));
    expect(most).toBeLessThanOrEqual(concurrentSessions);
    expect(most).toBeGreaterThanOrEqual(0.8 * concurrentSessions);
  });

  it('writes about concurrentSessions / meanGapSeconds rows per second at full concurrency', () => {
    // Half the rows are written before the budget runs out and concurrency winds down.
    const { rows } = medium;
    const halfway = (rows[rows.length / 2].timestamp - rows[0].timestamp) / 1000;
    const expected = (rows.length / 2) * (30 / 1_000);
    expect(halfway).toBeGreaterThan(0.8 * expected);
    expect(halfway).toBeLessThan(1.25 * expected);
    expect(rows[0].timestamp).toBeGreaterThanOrEqual(Date.UTC(2026, 0, 1));
  });

  it('spans about durationDays when given', async () => {
    const { rows } = await run({ ...SMALL, concurrentSessions: 20, durationDays: 2 });
    const days = (index: number): number => (rows[index].timestamp - rows[0].timestamp) / 86_400_000;
    expect(days(Math.floor(rows.length * 0.95))).toBeGreaterThan(0.95 * 2 * 0.8);
    expect(days(Math.floor(rows.length * 0.95))).toBeLessThan(0.95 * 2 * 1.25);
    expect(days(rows.length - 1)).toBeLessThan(2 * 2);
  });
});

describe('synthesizeLog: behaviour', () => {
  it('has a mean session length near the target', async () => {
    expect(medium.summary.meanSessionLength).toBeGreaterThan(9);
    expect(medium.summary.meanSessionLength).toBeLessThan(11);
    const short = await run({ ...MEDIUM, events: 12_000, meanSessionLength: 4 });
    expect(short.summary.meanSessionLength).toBeGreaterThan(3.6);
    expect(short.summary.meanSessionLength).toBeLessThan(4.4);
    const fixed = await run({ ...SMALL, meanSessionLength: 6, sessionLengthSigma: 0, buyRate: 0 });
    const sessions = groupBy(fixed.rows, (row) => row.session);
    // Only the last session started is cut short, to spend exactly `events` rows.
    const lengths = [...sessions].filter(([id]) => id !== sessions.size).map(([, session]) => session.length);
    expect(new Set(lengths)).toEqual(new Set([6]));
    expect(sessions.get(sessions.size)).toHaveLength(5_000 - 6 * (sessions.size - 1));
  });

  it('has heavy-tailed session lengths', () => {
    const lengths = [...groupBy(medium.rows, (row) => row.session).values()].map((session) => session.length);
    const sorted = [...lengths].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    expect(median).toBeLessThan(medium.summary.meanSessionLength);
    expect(sorted.at(-1)).toBeGreaterThan(8 * medium.summary.meanSessionLength);
    expect(sorted[0]).toBe(1);
  });

  it('clicks at about clickRate and buys at about buyRate of clicks, a buy after a click of the same item', () => {
    const { rows, summary } = medium;
    const clickRate = summary.clicks / (summary.events - summary.buys);
    expect(clickRate).toBeGreaterThan(0.068);
    expect(clickRate).toBeLessThan(0.092);
    expect(summary.buys / summary.clicks).toBeGreaterThan(0.07);
    expect(summary.buys / summary.clicks).toBeLessThan(0.13);
    const clickedBefore = (session: Row[], i: number): boolean =>
      session.slice(0, i).some((earlier) => earlier.event === 'click' && earlier.item === session[i].item);
    const orphanBuys = [...groupBy(rows, (row) => row.session).values()].flatMap((session) =>
      session.filter((row, i) => row.event === 'buy' && !clickedBefore(session, i)),
    );
    expect(orphanBuys).toEqual([]);
  });

  it('follows clickRate when it changes', async () => {
    const { summary } = await run({ ...MEDIUM, events: 12_000, clickRate: 0.2 });
    const clickRate = summary.clicks / (summary.events - summary.buys);
    expect(clickRate).toBeGreaterThan(0.17);
    expect(clickRate).toBeLessThan(0.23);
  });

  it('has returning users, some over many sessions', () => {
    const sessionsPerUser = [...groupBy(medium.rows, (row) => row.user).values()].map(
      (rows) => new Set(rows.map((row) => row.session)).size,
    );
    const returning = sessionsPerUser.filter((count) => count >= 2).length;
    expect(returning / sessionsPerUser.length).toBeGreaterThan(0.3);
    expect(Math.max(...sessionsPerUser)).toBeGreaterThanOrEqual(10);
  });

  it('makes histories predictive: earlier category interest ranks clicks above views (AUC > 0.55)', () => {
    // Score each impression by the share of the user's earlier rows in the item's category.
    const history = new Map<number, Map<number, number>>();
    const totals = new Map<number, number>();
    const scores: number[] = [];
    const labels: boolean[] = [];
    for (const row of medium.rows) {
      if (row.event === 'buy') continue;
      const seen = history.get(row.user) ?? new Map<number, number>();
      const total = totals.get(row.user) ?? 0;
      if (total > 0) {
        scores.push((seen.get(row.category) ?? 0) / total);
        labels.push(row.event === 'click');
      }
      seen.set(row.category, (seen.get(row.category) ?? 0) + 1);
      history.set(row.user, seen);
      totals.set(row.user, total + 1);
    }
    expect(auc(scores, labels)).toBeGreaterThan(0.55);
  });

  it('draws items by Zipf popularity: the top 1% of items take a large share of impressions', () => {
    const counts = [...groupBy(medium.rows, (row) => row.item).values()].map((rows) => rows.length).sort((a, b) => b - a);
    const top = counts.slice(0, 100).reduce((sum, count) => sum + count, 0);
    expect(top / medium.rows.length).toBeGreaterThan(0.3);
  });
});
