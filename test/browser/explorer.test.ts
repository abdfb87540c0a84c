import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalApi } from '../../lambdas/local/api.ts';
import { generateDataset } from '../../src/datagen/index.ts';
import { type LocalRecommender, trainLocalRecommender } from '../../src/local/index.ts';
import { type LaunchedBrowser, launchChromium, screenshotPath } from '../helpers/chromium.ts';
import { tempDir } from '../local-server/helpers.ts';

let server: Server;
let base: string;
let engine: LocalRecommender;
let chromium: LaunchedBrowser;
let page: Page;
const failedRequests: string[] = [];

beforeAll(async () => {
  const dir = tempDir();
  const { files } = await generateDataset({
    outDir: dir,
    interactions: 3000,
    users: 120,
    items: 80,
    seed: 7,
  });
  engine = await trainLocalRecommender(files, { training: { tune: false } });
  server = createLocalApi({ engine, deadLetterFile: `${dir}/dead-letters.jsonl` });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  chromium = await launchChromium();
  page = await chromium.context.newPage();
  page.on('response', (response) => {
    if (response.status() >= 400) failedRequests.push(`${response.status()} ${response.url()}`);
  });
});

afterAll(async () => {
  await chromium?.close();
  await new Promise((resolve) => server.close(resolve));
});

/** Waits until the first row of a list is the item (a browser-side condition, as text: the tests have no DOM types). */
const firstRowIs = (list: string, itemId: string) =>
  page.waitForFunction(
    `document.querySelector('#${list} li')?.getAttribute('data-item-id') === ${JSON.stringify(itemId)}`,
  );

const itemIds = (list: string) =>
  page.$$eval(`#${list} li[data-item-id]`, (items) => items.map((li) => li.getAttribute('data-item-id')));

describe('Feature: the explorer page in a browser', () => {
  it('picks a user, shows history and recommendations, and a purchase changes them', async () => {
    // Prepare
    const user = engine.hybridModel.users.ids[3]!;
    await page.goto(`${base}/`);
    await page.getByLabel('Search users by id').fill(user);
    await page.getByRole('button', { name: 'Search', exact: true }).click();

    // Act: pick the user
    await page.getByRole('button', { name: `Pick user ${user}`, exact: true }).click();
    await page.waitForSelector('#recommendations li[data-item-id]');
    await page.waitForSelector('#history li[data-item-id]');

    // Assess
    const recommended = await itemIds('recommendations');
    expect(recommended).toHaveLength(10);
    expect(await page.textContent('#recs-source')).toBe('(source: local)');
    expect(await page.textContent('#recommendations li:first-child .meta')).toMatch(
      /score (0\.\d{3,}|\d\.\d\de-\d+) · category: /,
    );
    const history = await itemIds('history');
    expect(history.length).toBeGreaterThan(0);
    expect((await itemIds('popular')).length).toBe(10);

    // Act: purchase the top recommendation
    const bought = recommended[0]!;
    await page
      .getByRole('button', { name: `Purchase ${bought} (send a purchase event)`, exact: true })
      .first()
      .click();
    await firstRowIs('history', bought);

    // Assess: it tops the history, and the recommendations moved on
    expect(await page.textContent('#history li:first-child .meta')).toContain('purchase at');
    expect(await page.textContent('#status')).toContain(`Sent a purchase of ${bought}`);
    const after = await itemIds('recommendations');
    expect(after).not.toEqual(recommended);
    await page.screenshot({ path: screenshotPath('explorer'), fullPage: true });
  });

  it('shows similar items for a clicked item and ranks a chosen set', async () => {
    // Prepare
    const [first, second] = await itemIds('recommendations');

    // Act
    await page
      .getByRole('button', { name: `Similar items to ${first}`, exact: true })
      .first()
      .click();
    await page.waitForSelector('#similar li[data-item-id]');
    await page
      .getByRole('checkbox', { name: `rank ${first} (add to the set to rank)`, exact: true })
      .first()
      .click();
    await page
      .getByRole('checkbox', { name: `rank ${second} (add to the set to rank)`, exact: true })
      .first()
      .click();
    await page.getByRole('button', { name: 'Rank the chosen items' }).click();
    await page.waitForSelector('#ranking li[data-item-id]');

    // Assess
    expect(await page.textContent('#similar-of')).toContain(`of ${first!}`);
    expect((await itemIds('similar')).length).toBeGreaterThan(0);
    expect((await itemIds('ranking')).sort()).toEqual([first, second].sort());
  });

  it('serves an anonymous session from its own events, and popular by category', async () => {
    // Act
    await page.getByRole('button', { name: 'Start an anonymous session' }).click();
    await page.waitForSelector('#recommendations li[data-item-id]');
    const item = (await itemIds('popular'))[0]!;
    await page
      .getByRole('button', { name: `Click ${item} (send a click event)`, exact: true })
      .first()
      .click();
    await firstRowIs('history', item);
    const category = engine.hybridModel.itemAttributes.columns.find((c) => c.name === 'CATEGORY');
    const value = category?.kind === 'categorical' ? category.values[0]![0]! : '';
    await page.getByLabel('Category (empty for all)').fill(value);
    const expected = (await engine.getPopular({ category: value, numResults: 10 })).items.map(
      (i) => i.itemId,
    );
    await page.getByRole('button', { name: 'Show popular' }).click();
    await page.waitForFunction(
      `[...document.querySelectorAll('#popular li[data-item-id]')].map((li) => li.dataset.itemId).join() === ${JSON.stringify(expected.join())}`,
    );

    // Assess
    expect(await page.textContent('#current')).toMatch(/^Anonymous session explorer-/);
    expect(await itemIds('popular')).toEqual(expected);
    expect(expected).not.toEqual((await engine.getPopular({ numResults: 10 })).items.map((i) => i.itemId));
    expect(failedRequests).toEqual([]);
  });
  it('works from the keyboard alone, and every control has a label', async () => {
    // Prepare
    const keyboardPage = await chromium.context.newPage();
    const user = engine.hybridModel.users.ids[5]!;
    await keyboardPage.goto(`${base}/`);
    await keyboardPage.waitForSelector('#user-list button');

    // Act: focus the search box, type, Enter; Tab to the first user and press Enter
    await keyboardPage.getByLabel('Search users by id').focus();
    await keyboardPage.keyboard.type(user);
    await keyboardPage.keyboard.press('Enter');
    await keyboardPage.waitForFunction(
      `document.querySelector('#user-list button')?.textContent === ${JSON.stringify(user)}`,
    );
    await keyboardPage.keyboard.press('Tab');
    await keyboardPage.keyboard.press('Tab');
    await keyboardPage.keyboard.press('Enter');
    await keyboardPage.waitForSelector('#recommendations li[data-item-id]');

    // Assess
    expect(await keyboardPage.textContent('#current')).toBe(`Showing user ${user}.`);
    const unlabelled = await keyboardPage.$$eval('input', (inputs) =>
      inputs
        .filter(
          (input) => !input.getAttribute('aria-label') && !input.closest('label') && !input.labels?.length,
        )
        .map((input) => input.outerHTML),
    );
    expect(unlabelled).toEqual([]);
    await keyboardPage.close();
  });
});
