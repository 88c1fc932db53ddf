// GraphQL-over-HTTP conformance: the audit suite of the npm package `graphql-http` (61 audits,
// every MUST, SHOULD and MAY of the spec) against a running vuxnav. Every audit is a test and
// all must pass, not only the MUSTs. See README.md for how to run it.
//
// The audits use introspection (`__type`), so run them against a server with it enabled.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { serverAudits } from 'graphql-http';

const url = process.env.GRAPHQL_URL ?? 'http://127.0.0.1:8080/graphql';

// GRAPHQL_AUTHORIZATION (such as `Bearer vx_…`) is sent on every request: the admin endpoint.
const authorization = process.env.GRAPHQL_AUTHORIZATION;
const fetchFn = authorization
  ? (input, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', authorization);
      return fetch(input, { ...init, headers });
    }
  : fetch;

const audits = serverAudits({ url, fetchFn });

describe(`${audits.length} GraphQL over HTTP audits of ${url}`, () => {
  for (const audit of audits) {
    it(`${audit.id} ${audit.name}`, async () => {
      const result = await audit.fn();
      if (result.status === 'ok') return;
      let body = '';
      try {
        body = (await result.response.text()).slice(0, 300);
      } catch {}
      assert.fail(
        `${result.status}: ${result.reason} ` +
          `(HTTP ${result.response?.status}, ${result.response?.headers.get('content-type')}) ${body}`,
      );
    });
  }
});
