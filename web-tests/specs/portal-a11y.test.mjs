// axe-core's WCAG 2.1 AA rules on every page template of the portal, at a phone's and a
// desktop's width: 0 violations. The offering page is found through the search, so the spec
// does not depend on an id.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectAccessible, url } from '../lib/browser.mjs';

async function firstOfferingPath() {
  const html = await (await fetch(url('/sok?q=svenska+som+andraspr%C3%A5k'))).text();
  const path = html.match(/href="(\/utbildning\/[^"]+)"/)?.[1];
  assert.ok(path, 'the search lists an offering');
  return path;
}

test('the landing page is accessible', () => expectAccessible('/', { name: 'landing' }));
test('the search page with results and filters is accessible', () => expectAccessible('/sok?q=svenska+som+andraspr%C3%A5k&studietid=kvall', { name: 'search' }));
test('the search page without results is accessible', () => expectAccessible('/sok?q=zzzxqy', { name: 'search-empty' }));
test('an offering page is accessible', async () => expectAccessible(await firstOfferingPath(), { name: 'offering' }));
test('a municipality page is accessible', () => expectAccessible('/kommun/0181', { name: 'municipality' }));
test('the occupations page is accessible', () => expectAccessible('/yrken?q=undersk%C3%B6terska&kommun=0127', { name: 'occupations' }));
test('a pathway page is accessible', () => expectAccessible('/yrken/Y3QA_5pk_uXd?kommun=0127', { name: 'pathway' }));
test('the validering page is accessible', () => expectAccessible('/validering?kommun=0127', { name: 'validering' }));
test('the vägledning page is accessible', () => expectAccessible('/vagledning?kommun=0180&sprak=ara', { name: 'vagledning' }));
test('the about page is accessible', () => expectAccessible('/om-tjansten', { name: 'about' }));
test('the accessibility statement is accessible', () => expectAccessible('/tillganglighet', { name: 'accessibility-statement' }));
test('the page in English is accessible', () => expectAccessible('/en', { name: 'english' }));
test('the 404 page is accessible', () => expectAccessible('/finns-inte', { name: 'not-found', status: 404 }));
