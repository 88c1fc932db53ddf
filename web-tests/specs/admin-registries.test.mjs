// The registry pages in a real browser: Huddinge's municipal admin adds a guidance service by
// keyboard alone (through the form generated from the registry's column description, with a
// mistake shown at its field and what was typed kept, then fixed and saved), sees it on the
// portal, and axe-core's WCAG 2.1 AA rules report 0 violations on every registry page template
// at a phone's and a desktop's width.
//
// Huddinge's admin key is made by the region admin (VUXNAV_ADMIN_TOKEN) through the admin API.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  VIEWPORTS, newPage, screenshot, signIn, tabTo, url, violations,
} from '../lib/browser.mjs';

const TOKEN = process.env.VUXNAV_ADMIN_TOKEN;
const KEY = 'vagledning-0126-webbtest';
const NAME = 'Vägledning Flemingsberg webbtest';

let huddinge;
before(async () => {
  assert.ok(TOKEN?.startsWith('vx_'), 'VUXNAV_ADMIN_TOKEN is a region admin key (web-tests/run makes one)');
  const response = await fetch(url('/admin/graphql'), {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation($input: KeyInput!) { createKey(input: $input) { token } }',
      variables: { input: { name: 'webbtest-huddinge', role: 'MUNICIPAL_ADMIN', municipalities: ['0126'] } },
    }),
  });
  const body = await response.json();
  huddinge = body.data?.createKey?.token;
  assert.ok(huddinge?.startsWith('vx_'), `a Huddinge admin's key: ${JSON.stringify(body)}`);
});

/** Tabs to the form field named `name` and types `text` into it (replacing what it held). */
async function typeInto(page, name, text) {
  await tabTo(page, `the field ${name}`, (f) => f.name === name, 250);
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
}

test("Huddinge's admin adds a guidance service by keyboard alone: a mistake at its field, fixed, saved, on the portal", async () => {
  const page = await newPage(VIEWPORTS[1]);
  const found = [];
  try {
    await signIn(page, huddinge);
    await tabTo(page, 'the registries in the menu', (f) => f.href === '/admin/register');
    await page.keyboard.press('Enter');
    await page.waitForURL(url('/admin/register'));
    await tabTo(page, 'the guidance services', (f) => f.href === '/admin/register/vagledning');
    await page.keyboard.press('Enter');
    await page.waitForURL(url('/admin/register/vagledning'));
    await tabTo(page, 'the link to add an entry', (f) => f.href === '/admin/register/vagledning/ny');
    await page.keyboard.press('Enter');
    await page.waitForURL(url('/admin/register/vagledning/ny'));
    assert.equal(await page.locator('#f-municipalities-0126').isChecked(), true, 'Huddinge is chosen to begin with');

    await typeInto(page, 'key', KEY);
    await tabTo(page, 'the kind', (f) => f.name === 'kind');
    await page.keyboard.press('ArrowDown');
    await typeInto(page, 'name', NAME);
    await typeInto(page, 'organiser', 'Huddinge kommun');
    await tabTo(page, 'the channel "on site"', (f) => f.name === 'channels.plats', 250);
    await page.keyboard.press('Space');
    await typeInto(page, 'languages', 'swe\nara');
    await typeInto(page, 'town', 'Flemingsberg');
    await typeInto(page, 'opening_hours.Mon', '8-12');
    await typeInto(page, 'opening_hours.Thu', '13:00-18:00');
    await page.keyboard.press('Enter');

    // The mistake, at its field, with what was typed kept.
    await page.waitForSelector('.error-summary');
    const monday = page.locator('#f-opening-hours-mon');
    assert.equal(await monday.getAttribute('aria-invalid'), 'true');
    assert.match(await monday.getAttribute('aria-describedby'), /f-opening-hours-mon-problem/);
    assert.match(await page.locator('#f-opening-hours-mon-problem').innerText(), /08:00-16:00/);
    assert.equal(await monday.inputValue(), '8-12');
    assert.equal(await page.locator('#f-name').inputValue(), NAME);
    assert.equal(await page.locator('#f-channels-plats').isChecked(), true);
    found.push(...await violations(page, 'the registry form with a mistake'));
    await screenshot(page, 'admin-registry-form-problem-desktop');

    await typeInto(page, 'opening_hours.Mon', '08:00-12:00, 13:00-16:00');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/admin\/register\/vagledning\?sparad=/);
    assert.match(await page.locator('[role=status]').innerText(), /syns på portalen direkt/);
    assert.match(await page.locator('table').innerText(), new RegExp(NAME));
    found.push(...await violations(page, 'the list with the new entry'));
    await screenshot(page, 'admin-registry-list-desktop');

    await page.goto(url('/vagledning?kommun=0126'));
    assert.match(await page.locator('main').innerText(), new RegExp(NAME));
  } finally {
    await page.context().close();
  }
  assert.deepEqual(found, [], found.join('\n'));
});

/** Signed in as `token`, opens `path` at both widths, and fails on any violation. */
async function expectSignedInAccessible(token, path, name, status = 200) {
  const found = [];
  for (const viewport of VIEWPORTS) {
    const page = await newPage(viewport);
    try {
      await signIn(page, token);
      const response = await page.goto(url(path));
      assert.equal(response?.status(), status, `${path} answered ${response?.status()}`);
      found.push(...await violations(page, `${viewport.name} ${path}`));
      await screenshot(page, `admin-${name}-${viewport.name}`);
    } finally {
      await page.context().close();
    }
  }
  assert.deepEqual(found, [], found.join('\n'));
}

test('every registry page template is accessible at a phone and a desktop width', async () => {
  await expectSignedInAccessible(huddinge, '/admin/register', 'registries');
  await expectSignedInAccessible(huddinge, '/admin/register/vagledning', 'registry-list');
  await expectSignedInAccessible(huddinge, '/admin/register/vagledning/ny', 'registry-form');
  // The entry the journey above saved.
  await expectSignedInAccessible(huddinge, `/admin/register/vagledning/andra?nyckel=${KEY}`, 'registry-edit');
  await expectSignedInAccessible(huddinge, `/admin/register/vagledning/ta-bort?nyckel=${KEY}`, 'registry-delete');
  await expectSignedInAccessible(huddinge, '/admin/register/priser', 'registry-forbidden', 403);
  await expectSignedInAccessible(TOKEN, '/admin/register/priser', 'registry-prices');
  await expectSignedInAccessible(TOKEN, '/admin/register/priser/ny', 'registry-form-prices');
  await expectSignedInAccessible(TOKEN, '/admin/register/validering/ny', 'registry-form-validation');
});

test('a registry form with every required field missing is accessible at a phone width', async () => {
  const page = await newPage(VIEWPORTS[0]);
  try {
    await signIn(page, huddinge);
    await page.goto(url('/admin/register/vagledning/ny'));
    await page.locator('#f-municipalities-0126').uncheck();
    await page.getByRole('button', { name: 'Spara' }).click();
    await page.waitForSelector('.error-summary');
    assert.equal(await page.locator('#f-key').getAttribute('aria-invalid'), 'true');
    const found = await violations(page, 'phone: the registry form with problems');
    await screenshot(page, 'admin-registry-form-problems-phone');
    assert.deepEqual(found, [], found.join('\n'));
  } finally {
    await page.context().close();
  }
});
