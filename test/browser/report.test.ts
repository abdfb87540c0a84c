import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../src/evaluation/report/index.ts';
import { reportFixture } from '../evaluation/report/fixture.ts';
import { type LaunchedBrowser, launchChromium, screenshotPath } from '../helpers/chromium.ts';

let chromium: LaunchedBrowser;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'report-browser-'));
  chromium = await launchChromium();
});
afterAll(async () => {
  await chromium?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Feature: the evaluation report opens offline in a browser', () => {
  it('shows every chart as a non-empty SVG without fetching anything', async () => {
    // Prepare
    const file = join(dir, 'report.html');
    writeFileSync(file, (await buildReport(reportFixture())).html);
    const page = await chromium.context.newPage();
    const fetched: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) fetched.push(request.url());
    });
    await chromium.context.setOffline(true);

    // Act
    await page.goto(pathToFileURL(file).href);

    // Assess
    const charts = await page.$$eval('section.chart figure svg', (svgs) =>
      svgs.map((svg) => {
        const box = svg.getBoundingClientRect();
        return {
          width: box.width,
          height: box.height,
          marks: svg.querySelectorAll('path, rect, text').length,
        };
      }),
    );
    expect(charts.length).toBeGreaterThanOrEqual(5);
    for (const chart of charts) {
      expect(chart.width).toBeGreaterThan(100);
      expect(chart.height).toBeGreaterThan(50);
      expect(chart.marks).toBeGreaterThan(10);
    }
    expect(await page.title()).toBe('Recommender evaluation report');
    expect(fetched).toEqual([]);
    await page.screenshot({ path: screenshotPath('evaluation-report'), fullPage: true });
    await page.close();
    await chromium.context.setOffline(false);
  });
});
