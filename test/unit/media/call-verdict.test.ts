import { test } from 'node:test';
import assert from 'node:assert/strict';
import { httpCodeOf, mediaCallVerdict } from '../../../support/media/call-verdict.js';
import { verdictForHttpCode } from '../../../support/mesh/checks.js';

test('a media call reached its callee on any HTTP answer but 403: NZBGet\'s 401 (basic auth) counts as reached', () => {
  // media_server_e2e.rs:322-349 at 1236706e fails an allowed media call only on 403.
  for (const code of ['200', '204', '302', '401', '404', '500', '503']) assert.equal(mediaCallVerdict(code), 'ALLOWED', code);
  for (const code of ['403', '000']) assert.equal(mediaCallVerdict(code), 'BLOCKED', code);
});

test('curl output without an HTTP code (no answer, garbage) is judged as 000, blocked', () => {
  assert.equal(httpCodeOf('401'), '401');
  assert.equal(httpCodeOf('000000\n'), '000', "curl's 000 followed by upstream's `|| echo '000'`");
  assert.equal(httpCodeOf(''), '000');
  assert.equal(httpCodeOf('curl: (7) Failed to connect'), '000');
  assert.equal(mediaCallVerdict(httpCodeOf('')), 'BLOCKED');
  assert.equal(mediaCallVerdict('abc'), 'BLOCKED');
});

test('the probe meshes keep the stricter rule: 401 is blocked there', () => {
  assert.equal(verdictForHttpCode('401'), 'BLOCKED');
  assert.notEqual(mediaCallVerdict('401'), verdictForHttpCode('401'));
});
