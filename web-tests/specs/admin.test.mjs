// The admin pages in a real browser: a region admin's journey by keyboard alone (sign in, add a
// CSV source through the generated form with a mistake shown at its field, fix it, dry run,
// save, harvest now, see the run), and axe-core's WCAG 2.1 AA rules on every admin page
// template at a phone's and a desktop's width: 0 violations.
//
// The CSV export the new source reads is served by this spec on loopback, so the source is
// saved with "may reach a private network", which only a region admin may allow
// (VUXNAV_ADMIN_TOKEN is one).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import {
  VIEWPORTS, expectAccessible, newPage, screenshot, signIn, tabTo, url, violations,
} from '../lib/browser.mjs';

const TOKEN = process.env.VUXNAV_ADMIN_TOKEN;
const EXPORT = 'Id,Kurs,Start\r\nk1,Svenska 1,2027-01-18\r\nk2,Matematik 1a,2027-01-18\r\nk3,Engelska 5,2027-08-16\r\n';

let server;
let exportUrl;
before(async () => {
  assert.ok(TOKEN?.startsWith('vx_'), 'VUXNAV_ADMIN_TOKEN is a region admin key (web-tests/run makes one)');
  server = http.createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' });
    response.end(EXPORT);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  exportUrl = `http://127.0.0.1:${server.address().port}/kurser.csv`;
});
after(() => server?.close());

/** Signed in, opens `path` at both widths, and fails on any violation. */
async function expectSignedInAccessible(path, name, status = 200) {
  const found = [];
  for (const viewport of VIEWPORTS) {
    const page = await newPage(viewport);
    try {
      await signIn(page, TOKEN);
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

/** Tabs to the form field named `name` and types `text` into it (replacing what it held). */
async function typeInto(page, name, text) {
  await tabTo(page, `the field ${name}`, (f) => f.name === name, 200);
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
}

test('the sign-in page is accessible', () => expectAccessible('/admin/logga-in', { name: 'admin-sign-in' }));

test('a region admin adds a CSV source by keyboard alone: a mistake at its field, dry run, save, harvest, the run', async () => {
  const page = await newPage(VIEWPORTS[1]);
  const found = [];
  try {
    await signIn(page, TOKEN);
    await tabTo(page, 'the link to add a source', (f) => f.href === '/admin/kallor/ny');
    await page.keyboard.press('Enter');
    await page.waitForURL(url('/admin/kallor/ny'));
    await tabTo(page, 'the CSV kind', (f) => f.href === '/admin/kallor/ny?typ=csv');
    await page.keyboard.press('Enter');
    await page.waitForURL(url('/admin/kallor/ny?typ=csv'));

    await typeInto(page, 'id', 'huddinge-webbtest');
    await typeInto(page, 'municipality', '0126');
    await tabTo(page, 'may reach a private network', (f) => f.name === 'allow_private_network');
    await page.keyboard.press('Space');
    await typeInto(page, 'connector.url', exportUrl);
    await typeInto(page, 'connector.columns.upstream_id', 'Id');
    await typeInto(page, 'connector.columns.title', 'Kurs');
    await typeInto(page, 'connector.columns.start', 'Start');
    await typeInto(page, 'connector.defaults.pace', 'hundra');
    await typeInto(page, 'connector.defaults.provider_name', 'Komvux Huddinge');
    await typeInto(page, 'connector.defaults.school_form', 'VUXGY');
    await page.keyboard.press('Enter');

    // The mistake, at its field, with what was typed kept.
    await page.waitForSelector('.error-summary');
    const pace = page.locator('#f-connector-defaults-pace');
    assert.equal(await pace.getAttribute('aria-invalid'), 'true');
    assert.match(await pace.getAttribute('aria-describedby'), /f-connector-defaults-pace-problem/);
    assert.match(await page.locator('#f-connector-defaults-pace-problem').innerText(), /heltal/);
    assert.equal(await pace.inputValue(), 'hundra');
    assert.equal(await page.locator('#f-id').inputValue(), 'huddinge-webbtest');
    found.push(...await violations(page, 'the form with a mistake'));
    await screenshot(page, 'admin-form-problem-desktop');

    await typeInto(page, 'connector.defaults.pace', '100');
    await tabTo(page, 'the dry run button', (f) => f.name === 'action' && f.value === 'dry_run', 200);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#provkorning');
    assert.match(await page.locator('.dry-run').innerText(), /3 erbjudanden/);
    assert.match(await page.locator('.dry-run').innerText(), /Svenska 1/);
    found.push(...await violations(page, 'the dry run'));
    await screenshot(page, 'admin-dry-run-desktop');

    await tabTo(page, 'the save button', (f) => f.name === 'action' && f.value === 'save', 250);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/admin\/kallor\/huddinge-webbtest\?sparad=1$/);
    await tabTo(page, 'harvest now', (f) => f.tag === 'BUTTON' && f.text === 'Skörda nu');
    await page.keyboard.press('Enter');
    await page.waitForURL(/skord=SUCCEEDED$/);
    assert.match(await page.locator('main').innerText(), /Skörden är klar: lyckades/);
    assert.match(await page.locator('table').first().innerText(), /Lyckades/);
    found.push(...await violations(page, 'the source page with its run'));
    await screenshot(page, 'admin-source-desktop');
  } finally {
    await page.context().close();
  }
  assert.deepEqual(found, [], found.join('\n'));
});

test('every admin page template is accessible at a phone and a desktop width', async () => {
  const overview = await newPage(VIEWPORTS[1]);
  let source;
  try {
    await signIn(overview, TOKEN);
    source = await overview.locator('tbody th a').first().getAttribute('href');
  } finally {
    await overview.context().close();
  }
  assert.ok(source, 'the overview lists a source');
  await expectSignedInAccessible('/admin', 'overview');
  await expectSignedInAccessible('/admin/kallor/ny', 'kinds');
  await expectSignedInAccessible('/admin/kallor/ny?typ=csv', 'form-csv');
  await expectSignedInAccessible('/admin/kallor/ny?typ=json_api', 'form-json-api');
  await expectSignedInAccessible(source, 'source');
  await expectSignedInAccessible('/admin/nycklar', 'keys');
  await expectSignedInAccessible('/admin/logg', 'audit');
  await expectSignedInAccessible('/admin/kallor/finns-inte', 'message', 404);
  // The source the journey above saved.
  await expectSignedInAccessible('/admin/kallor/huddinge-webbtest/ta-bort', 'confirm-delete');
  await expectSignedInAccessible('/admin/kallor/huddinge-webbtest/andra', 'form-edit');
});

test('a form with every required field missing is accessible at a phone width', async () => {
  const page = await newPage(VIEWPORTS[0]);
  try {
    await signIn(page, TOKEN);
    await page.goto(url('/admin/kallor/ny?typ=csv'));
    await page.locator('#f-id').fill('');
    await page.locator('#f-schedule').fill('');
    await page.locator('button[value="save"]').click();
    await page.waitForSelector('.error-summary');
    const found = await violations(page, 'phone: the form with problems');
    await screenshot(page, 'admin-form-problems-phone');
    assert.deepEqual(found, [], found.join('\n'));
  } finally {
    await page.context().close();
  }
});

test('a key created on the keys page is shown once, on a page that is accessible at both widths', async () => {
  const found = [];
  for (const viewport of VIEWPORTS) {
    const page = await newPage(viewport);
    try {
      await signIn(page, TOKEN);
      await page.goto(url('/admin/nycklar'));
      await page.locator('#namn').fill(`webbtest-${viewport.name}`);
      await page.locator('#roll').selectOption('PARTNER');
      await page.getByRole('button', { name: 'Skapa nyckeln' }).click();
      await page.waitForSelector('#ny-nyckel');
      assert.match(await page.locator('#ny-nyckel').inputValue(), /^vx_/);
      found.push(...await violations(page, `${viewport.name} the new key`));
      await screenshot(page, `admin-key-created-${viewport.name}`);
    } finally {
      await page.context().close();
    }
  }
  assert.deepEqual(found, [], found.join('\n'));
});
