import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, type LaunchedBrowser, launchChromium } from '../helpers/chromium.ts';

let chromium: LaunchedBrowser;
beforeAll(async () => {
  chromium = await launchChromium();
});
afterAll(() => chromium?.close());

describe('Browser tests: headless Chromium', () => {
  it('fails with a clear message when the binary is missing', () => {
    const saved = process.env.CHROMIUM_PATH;
    process.env.CHROMIUM_PATH = '/nonexistent/chromium';
    try {
      expect(() => chromiumPath()).toThrow(/Chromium not found at \/nonexistent\/chromium: install it/);
    } finally {
      if (saved === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = saved;
    }
  });

  it('renders a page and runs its script', async () => {
    const page = await chromium.context.newPage();
    await page.setContent('<p id="out"></p><script>out.textContent = String(6 * 7)</script>');

    expect(await page.textContent('#out')).toBe('42');
    await page.close();
  });
});
