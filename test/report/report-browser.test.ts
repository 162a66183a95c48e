// biome-ignore-all lint/performance/useDomNodeTextContent: the test reads the rendered text a person sees, which innerText is
/**
 * The weekly report page as a person sees it: headless Chromium (playwright-core)
 * with JavaScript off, network requests refused. The verdict and the failure
 * with its reason are at the top, every check is visible, the charts are drawn;
 * colours meet WCAG AA. Screenshots stay in .arangops/test-artifacts/report/.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  buildRunReport,
  parseIsoWeek,
  runReportHtml,
  type WeeklyReport,
  writeWeeklyReport,
} from '@arangops/backup';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../harness/temp-dir.js';
import { findTool, requireTool } from '../harness/tools.js';
import { DIGEST_REASON, fileStoreAt, syntheticHistory, verifyResult } from './synthetic.js';

const ARTIFACTS = join(import.meta.dirname, '../../.arangops/test-artifacts/report');
const WEEK = parseIsoWeek('2026-W48');
const executablePath = findTool('chromium');

/** WCAG 2 contrast of every status word, headline and chart label against what is behind it. */
const CONTRAST = `(() => {
  const lum = (rgb) => {
    const [r, g, b] = rgb.match(/[\\d.]+/g).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const bg = getComputedStyle(e).backgroundColor;
      if (bg && !bg.startsWith('rgba(0, 0, 0, 0)') && bg !== 'transparent') return bg;
    }
    return 'rgb(255, 255, 255)';
  };
  return [...document.querySelectorAll('.status, .headline, .meta, svg .value, svg .axis, svg .nodata, a')].map((el) => {
    const style = getComputedStyle(el);
    const fg = el instanceof SVGElement ? style.fill : style.color;
    const [hi, lo] = [lum(fg), lum(background(el))].sort((a, b) => b - a);
    return { text: el.textContent.trim().slice(0, 30), ratio: (hi + 0.05) / (lo + 0.05) };
  });
})()`;

describe('the HTML report in headless Chromium', () => {
  let browser: Browser;
  let report: WeeklyReport;
  let htmlFile: string;
  let page: Page;
  const external: string[] = [];

  // Each test is skipped without Chromium, and fails in CI.
  beforeEach((ctx) => {
    requireTool('chromium', 'the HTML report in a browser', ctx);
  });

  beforeAll(async () => {
    if (!executablePath) return;
    mkdirSync(ARTIFACTS, { recursive: true });
    const dir = tempDir('report-browser');
    const history = await syntheticHistory(fileStoreAt(join(dir, 'store')), {
      week: WEEK,
      unverified: [3],
      failLastWeek: true,
    });
    const written = await writeWeeklyReport(history.store, WEEK, {
      toolVersion: 'test',
      rpoHours: 26,
      now: WEEK.to,
      reportDir: join(dir, 'out'),
    });
    report = written.report;
    // Kept beside the screenshots, for a person to open.
    htmlFile = join(ARTIFACTS, 'weekly-failed.html');
    copyFileSync(written.dir!.html, htmlFile);
    browser = await chromium.launch({
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 1024, height: 900 },
    });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      external.push(url);
      return route.abort();
    });
    page = await context.newPage();
    await page.goto(pathToFileURL(htmlFile).href);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('shows the verdict, then the failure and its reason, at the top', async () => {
    const headline = page.locator('.verdict .headline');
    await expect.poll(() => headline.isVisible()).toBe(true);
    expect(await headline.innerText()).toContain('FAILED: 1 problem needs action');
    const first = page.locator('.verdict .problems li').first();
    expect(await first.innerText()).toContain(DIGEST_REASON);
    expect(await first.innerText()).toContain('What to do: The restored documents differ');
    // Above the fold, and before everything else.
    const box = (await first.boundingBox())!;
    expect(box.y + box.height).toBeLessThan(900);
    expect(box.y).toBeLessThan((await page.locator('h2').first().boundingBox())!.y);
    await page.screenshot({ path: join(ARTIFACTS, 'weekly-failed-top.png') });
  });

  it('shows every check of every verification with its result and reason', async () => {
    const sections = page.locator('section.verification');
    expect(await sections.count()).toBe(report.verifications.length);
    for (const [i, v] of report.verifications.entries()) {
      const rows = sections.nth(i).locator('tbody tr');
      expect(await rows.count()).toBe(v.checks.length);
      for (const [j, c] of v.checks.entries()) {
        const row = rows.nth(j);
        expect(await row.isVisible()).toBe(true);
        const text = await row.innerText();
        expect(text).toContain(c.name);
        expect(text).toContain(c.reason);
        expect(text).toContain({ pass: 'PASS', fail: 'FAIL', skipped: 'skipped' }[c.status]);
      }
    }
  });

  it('draws the three trend charts with a labelled bar per week', async () => {
    const charts = page.locator('svg.chart');
    expect(await charts.count()).toBe(3);
    for (let i = 0; i < 3; i++) {
      const chart = charts.nth(i);
      expect(await chart.isVisible()).toBe(true);
      expect((await chart.boundingBox())!.width).toBeGreaterThan(400);
      const bars = chart.locator('rect.bar');
      const drawn = report.trends.filter((t) => [t.rtoSeconds, t.backupBytes, t.backupSeconds][i] !== null);
      expect(await bars.count()).toBe(drawn.length);
      for (let b = 0; b < drawn.length; b++) {
        expect((await bars.nth(b).boundingBox())!.height).toBeGreaterThan(0);
      }
      expect(await chart.locator('text.value').count()).toBe(drawn.length);
    }
    expect(await page.locator('#trend-rto text.nodata').textContent()).toBe('no data');
    await page.locator('h2', { hasText: 'Trends' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'weekly-failed.png'), fullPage: true });
  });

  it('asks for nothing from the network and needs no script', () => {
    expect(external).toEqual([]);
  });

  it('meets WCAG AA contrast, on screen and in print', async () => {
    const js = await browser.newPage();
    await js.goto(pathToFileURL(htmlFile).href);
    for (const media of ['screen', 'print'] as const) {
      await js.emulateMedia({ media });
      const low = ((await js.evaluate(CONTRAST)) as { text: string; ratio: number }[]).filter(
        (c) => c.ratio < 4.5,
      );
      expect(low, media).toEqual([]);
    }
    await js.emulateMedia({ media: 'print' });
    await js.screenshot({ path: join(ARTIFACTS, 'weekly-print.png'), fullPage: true });
    const pdf = await js.pdf({ format: 'A4' });
    writeFileSync(join(ARTIFACTS, 'weekly.pdf'), pdf);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await js.close();
  });

  it('renders the per-run report of a passing verification', async () => {
    const file = join(ARTIFACTS, 'run-pass.html');
    const run = buildRunReport(
      {
        location: 'file:///store/results/r.json',
        result: verifyResult(
          '20261129T020000Z-codevaldcortex-0a0b',
          new Date(WEEK.to.getTime() - 3_600_000),
          { rto: 42 },
        ),
      },
      'file:///store/',
      { toolVersion: 'test', rpoHours: 26 },
    );
    writeFileSync(file, runReportHtml(run));
    const p = await browser.newPage({ javaScriptEnabled: false });
    await p.goto(pathToFileURL(file).href);
    expect(await p.locator('.verdict .headline').innerText()).toContain('PASSED: every check passed');
    expect(await p.locator('section.verification tbody tr').count()).toBe(run.verification.checks.length);
    expect(await p.getByText('restore (RTO) 42.0 s').isVisible()).toBe(true);
    await p.screenshot({ path: join(ARTIFACTS, 'run-pass.png'), fullPage: true });
    await p.close();
  });
});
