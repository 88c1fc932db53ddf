// What every browser spec shares: one headless Chromium per spec file (Debian's, driven by
// playwright-core), the server's address, screenshots, and `expectAccessible`, which runs
// axe-core with the WCAG 2.1 A and AA rules on a page at a phone's and a desktop's width and
// fails listing every violation. `run` beside this folder starts the server and sets
// VUXNAV_URL; see web-tests/README.md.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

/** The server under test, without a trailing slash. */
export const BASE = (process.env.VUXNAV_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
/** Where screenshots go (git-ignored); `run` names it. */
export const SCREENSHOTS = process.env.VUXNAV_SCREENSHOTS ?? path.join(import.meta.dirname, '..', 'screenshots');
/** The WCAG 2.1 level A and AA rules, as axe-core tags them. */
export const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
/** The widths every page is checked at. */
export const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 800 },
];

// Without the networking flags Chromium keeps calling out to a network it cannot reach.
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let launched;
/** The spec file's browser, launched on first use and closed after its last test. */
export function browser() {
  launched ??= chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ARGS });
  return launched;
}
after(async () => { if (launched) await (await launched).close(); });

/** A fresh page (its own context: no cookies shared) at `viewport`, in Swedish. */
export async function newPage(viewport = VIEWPORTS[1]) {
  const context = await (await browser()).newContext({
    locale: 'sv-SE',
    viewport: { width: viewport.width, height: viewport.height },
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return page;
}

/** `path` on the server under test. */
export function url(pathAndQuery) {
  return BASE + pathAndQuery;
}

/** Saves a full-page screenshot as `<name>.png` in SCREENSHOTS. */
export async function screenshot(page, name) {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** One line per violation: the rule, its impact, what it asks and where it failed. */
export function describeViolation(violation) {
  const where = violation.nodes.map((node) => node.target.join(' ')).join(', ');
  return `${violation.id} (${violation.impact}): ${violation.help} at ${where}`;
}

/** axe-core's WCAG 2.1 AA violations on `page` as it is, one line each, `label` first. */
export async function violations(page, label) {
  const { violations: found } = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
  return found.map((violation) => `${label}: ${describeViolation(violation)}`);
}

/** Signs in to the admin pages on `page` with `token` by keyboard: Tab to the key field, type, Enter. */
export async function signIn(page, token) {
  await page.goto(url('/admin/logga-in'));
  await tabTo(page, 'the key field', (f) => f.id === 'nyckel');
  await page.keyboard.type(token);
  await page.keyboard.press('Enter');
  await page.waitForURL(url('/admin'));
}

/**
 * Opens `pathAndQuery` at a phone's and a desktop's width, runs axe-core's WCAG 2.1 AA rules,
 * saves a screenshot of each (named `name`, default from the path), and fails listing every
 * violation at both widths. `status` is the HTTP status the page must answer with.
 */
export async function expectAccessible(pathAndQuery, { name, status = 200 } = {}) {
  const found = [];
  for (const viewport of VIEWPORTS) {
    const page = await newPage(viewport);
    try {
      const response = await page.goto(url(pathAndQuery));
      assert.equal(response?.status(), status, `${pathAndQuery} answered ${response?.status()}`);
      const { violations } = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
      found.push(...violations.map((violation) => `${viewport.name}: ${describeViolation(violation)}`));
      await screenshot(page, `${name ?? slug(pathAndQuery)}-${viewport.name}`);
    } finally {
      await page.context().close();
    }
  }
  assert.deepEqual(found, [], `${pathAndQuery} has WCAG 2.1 AA violations:\n${found.join('\n')}`);
}

function slug(pathAndQuery) {
  return pathAndQuery.replace(/^\//, '').replace(/[^a-zA-Z0-9]+/g, '-').replace(/-$/, '') || 'index';
}

/**
 * Presses Tab until the focused element matches `predicate` (given the element), at most
 * `limit` times; fails naming what was focused on the way. Keyboard-only journeys use it.
 */
export async function tabTo(page, description, predicate, limit = 80) {
  const seen = [];
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const element = document.activeElement;
      return element ? { tag: element.tagName, text: (element.textContent ?? '').trim().slice(0, 60), name: element.getAttribute('name'), href: element.getAttribute('href'), id: element.id, value: element.value ?? null } : null;
    });
    if (focused && predicate(focused)) return focused;
    seen.push(focused ? `${focused.tag}${focused.id ? `#${focused.id}` : ''} ${focused.text || focused.name || ''}` : 'nothing');
  }
  assert.fail(`Tab never reached ${description}; focused on the way: ${seen.join(' | ')}`);
}
