import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEventsHandler } from '../../lambdas/events/handler.ts';
import { seededRandom } from '../../src/core/seeded-random.ts';
import { splitInteractionsFile } from '../../src/evaluation/split-file.ts';
import { loadDataset } from '../../src/local/data/load.ts';
import { timestampIssue, timestampWarnings } from '../../src/recommender/timestamp-rule.ts';
import { apiEvent, bodyOf } from '../lambdas/events.ts';
import { recordingTelemetry } from '../serving/telemetry.ts';

const NOW = 1_750_000_000;

describe('The timestamp rule', () => {
  it('calls values above 1e11 milliseconds and more than a day ahead future', () => {
    expect(timestampIssue(1_700_000_000, NOW)).toBeUndefined();
    expect(timestampIssue(NOW + 86_400, NOW)).toBeUndefined();
    expect(timestampIssue(NOW + 86_401, NOW)).toBe('future');
    expect(timestampIssue(1_700_000_000_000, NOW)).toBe('milliseconds');
    expect(timestampWarnings('f.csv', [1, 1_700_000_000_000, 1_700_000_000_001, NOW + 90_000], NOW)).toEqual([
      'f.csv: 2 TIMESTAMP value(s) above 100000000000 look like milliseconds (first 1700000000000); use Unix epoch seconds',
      `f.csv: 1 TIMESTAMP value(s) are more than a day in the future (first ${NOW + 90_000}, now ${NOW})`,
    ]);
  });

  describe('wherever data is loaded', () => {
    let dir: string;
    let file: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'timestamps-'));
      file = join(dir, 'interactions.csv');
      const rows = Array.from(
        { length: 30 },
        (_, i) => `u${i % 6},i${i % 5},${1_700_000_000_000 + i * 1000}`,
      );
      await writeFile(file, `USER_ID,ITEM_ID,TIMESTAMP\n${rows.join('\n')}\n`);
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it('the local engine loader (npm start --data, cli train, evaluate)', async () => {
      const dataset = await loadDataset({ interactions: file });
      expect(dataset.warnings).toEqual([
        expect.stringMatching(/30 TIMESTAMP value\(s\) .* look like milliseconds/),
      ]);
    });

    it('evaluate --split', async () => {
      const summary = await splitInteractionsFile(file, join(dir, 'split'));
      expect(summary.warnings).toEqual([
        expect.stringMatching(/interactions\.csv: 30 TIMESTAMP .* milliseconds/),
      ]);
    });

    it('POST /events: far-future sentAt is stored with a warning', async () => {
      const telemetry = recordingTelemetry();
      const warn = vi.spyOn(telemetry.logger, 'warn');
      const handler = createEventsHandler({
        recommender: { putEvents: async () => undefined },
        deadLetters: { send: async () => undefined },
        random: seededRandom(1),
        logger: telemetry.logger,
        metrics: telemetry.metrics,
      });
      const future = Math.floor(Date.now() / 1000) + 10 * 86_400;
      const result = await handler(
        apiEvent('POST', '/events', {
          sessionId: 's1',
          events: [
            { eventType: 'click', itemId: 'i1', sentAt: future },
            { eventType: 'click', itemId: 'i2', sentAt: 1_700_000_000 },
          ],
        }),
      );

      expect(result.statusCode).toBe(200);
      expect(bodyOf(result)).toMatchObject({
        stored: 2,
        warnings: [
          expect.stringMatching(/^events sentAt: 1 TIMESTAMP value\(s\) are more than a day in the future/),
        ],
      });
      expect(warn).toHaveBeenCalledWith('events with suspicious timestamps', expect.anything());
    });
  });
});
