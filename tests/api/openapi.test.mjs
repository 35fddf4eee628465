// GET /api/openapi.json from a running server, validated against the
// OpenAPI 3.1 schema by a maintained validator (@seriousme/openapi-schema-
// validator, which checks the official JSON Schemas of the OpenAPI
// Initiative). The route-table walk is tests/unit/openapi_test.cc.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Server } from '../browser/harness.mjs';

const server = new Server();
before(async () => { await server.start(); });
after(async () => { await server.stop(); });

test('the served document is valid OpenAPI 3.1 and describes every operation', async () => {
  const res = await fetch(`${server.base}/api/openapi.json`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^application\/json/);
  const doc = await res.json();
  assert.equal(doc.openapi, '3.1.0');
  const validator = new Validator();
  const result = await validator.validate(doc);
  assert.equal(result.valid, true, JSON.stringify(result.errors, null, 1));
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      assert.ok(op.summary, `${method} ${path} has a summary`);
      assert.ok(op.responses.default, `${method} ${path} says how it fails`);
    }
  }
  // Every $ref resolves (the validator checks the shape, not the targets).
  const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) || [];
  for (const ref of new Set(refs)) {
    const parts = ref.slice(8, -1).replace(/^#\//, '').split('/');
    let node = doc;
    for (const p of parts) node = node?.[p];
    assert.ok(node, `${ref} resolves`);
  }
});

test('a document that breaks the schema is refused by the same validator', async () => {
  const broken = { openapi: '3.1.0', info: { title: 'x' }, paths: { 'no-slash': {} } };
  const result = await new Validator().validate(broken);
  assert.equal(result.valid, false);
});
