// axe-core's WCAG 2.1 AA rules on every page template of the portal, at a phone's and a
// desktop's width: 0 violations.
import { test } from 'node:test';
import { expectAccessible } from '../lib/browser.mjs';

test('the landing page is accessible', () => expectAccessible('/', { name: 'landing' }));
test('the about page is accessible', () => expectAccessible('/om-tjansten', { name: 'about' }));
test('the accessibility statement is accessible', () => expectAccessible('/tillganglighet', { name: 'accessibility-statement' }));
test('the 404 page is accessible', () => expectAccessible('/finns-inte', { name: 'not-found', status: 404 }));
