/**
 * What the stand-in images answer, where a verdict depends on it: NZBGet's web UI asks for HTTP
 * basic auth on every path, so a caller that reached it without credentials gets 401 (lattice-facts
 * §0.2: upstream's media check fails only on 403).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { probePasses, respond } from '../../src/images/index.js';

const NZBGET = 'lscr.io/linuxserver/nzbget:latest';
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

test('nzbget answers 401 with a basic-auth challenge without credentials, on every path', () => {
  for (const path of ['/', '/index.html', '/jsonrpc']) {
    const r = respond(NZBGET, [], 6789, 'GET', path);
    assert.equal(r?.status, 401, path);
    assert.equal(r?.headers?.['www-authenticate'], 'Basic realm="NZBGet"');
  }
  assert.equal(respond(NZBGET, [], 6789, 'GET', '/', { authorization: basic('nzbget', 'wrong') })?.status, 401);
  assert.equal(respond(NZBGET, [], 6789, 'GET', '/', { authorization: basic('nzbget', 'tegbzn6789') })?.status, 200);
});

test('an httpGet probe on nzbget fails (401), the fixtures\' nc probe passes', () => {
  assert.equal(probePasses(NZBGET, [], { httpGet: { path: '/', port: 6789 } }), false);
  assert.equal(probePasses(NZBGET, [], { exec: { command: ['nc', '-z', '127.0.0.1', '6789'] } }), true);
});
