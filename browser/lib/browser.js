// Debian's Chromium driven by playwright-core, as a delegate's phone: the
// browser, the pages' checks (axe, weight, screenshots) and a guard that
// keeps every request on this machine.

import { mkdirSync, rmSync, appendFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

export const browserDir = path.resolve(here, '..');
export const screenshotDir = path.join(browserDir, 'screenshots');
export const axePath = require.resolve('axe-core/axe.min.js');

export const baseUrl = required('RENCONTRE_BASE_URL');
const chromiumPath = process.env.RENCONTRE_CHROMIUM || '/usr/bin/chromium';

/// A phone held upright, the smallest screen the pages are made for.
export const phone = { width: 360, height: 740 };

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run these scenarios with 'make test-browser'`);
  }
  return value;
}

export async function launch() {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    chromiumSandbox: false,
    // Playwright gives each launch a new empty profile of its own; these
    // keep Chromium from calling home, which this closed network refuses.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/// A new phone-sized context whose every request must go to the server
/// under test; anything else is refused and remembered in `offsite`.
///
/// `bypassCSP` lets axe's script be added to pages that allow no script at
/// all; the pages' own policy is checked in a context without it.
export async function phoneContext(browser, { bypassCSP = true } = {}) {
  const context = await browser.newContext({
    viewport: phone,
    screen: phone,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    bypassCSP,
    acceptDownloads: true,
  });
  const allowed = new URL(baseUrl).host;
  context.offsite = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.host === allowed) {
      return route.continue();
    }
    context.offsite.push(url.href);
    return route.abort('blockedbyclient');
  });
  return context;
}

/// Runs axe on the page as it is now. Prints every violation, then
/// returns those that are serious or critical.
export async function axeCheck(page, name) {
  await page.addScriptTag({ path: axePath });
  const results = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { resultTypes: ['violations'] }),
  );
  const violations = results.violations;
  if (violations.length === 0) {
    console.log(`axe ${name}: no violation`);
  }
  for (const violation of violations) {
    console.log(`axe ${name}: [${violation.impact}] ${violation.id}: ${violation.help} (${violation.helpUrl})`);
    for (const node of violation.nodes) {
      console.log(`    at ${node.target.join(' ')}: ${node.html}`);
      if (node.failureSummary) {
        console.log(`       ${node.failureSummary.replace(/\n/g, '\n       ')}`);
      }
    }
  }
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export function describeViolations(violations) {
  return violations
    .map((v) => `${v.impact} ${v.id} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
    .join('; ');
}

export function resetScreenshots() {
  rmSync(screenshotDir, { recursive: true, force: true });
  mkdirSync(screenshotDir, { recursive: true });
  writeFileSync(path.join(screenshotDir, 'index.txt'), '');
}

/// A full-page screenshot, listed in screenshots/index.txt for the log.
export async function screenshot(page, name) {
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  appendFileSync(path.join(screenshotDir, 'index.txt'), `${path.relative(path.dirname(browserDir), file)}\n`);
  return file;
}

/// Opens `url` in `page` and counts what the load cost: the bytes of every
/// response as they came over the wire (headers and body, before any
/// decompression) and the bodies' decoded size.
export async function openAndWeigh(page, url) {
  const requests = [];
  const listener = (request) => requests.push(request);
  page.on('requestfinished', listener);
  const response = await page.goto(url, { waitUntil: 'load' });
  // Late requests (a favicon) belong to the page's cost as well.
  await page.waitForLoadState('networkidle');
  page.off('requestfinished', listener);
  let transferred = 0;
  let decoded = 0;
  const parts = [];
  for (const request of requests) {
    const sizes = await request.sizes();
    const answer = await request.response();
    const body = answer ? (await answer.body().catch(() => Buffer.alloc(0))).length : 0;
    const wire = sizes.responseHeadersSize + sizes.responseBodySize;
    transferred += wire;
    decoded += body;
    parts.push({ url: request.url(), status: answer?.status(), wire, body });
  }
  return { response, transferred, decoded, parts };
}
