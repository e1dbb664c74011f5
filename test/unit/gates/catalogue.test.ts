import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anyCallerGate, endpointOf, externalEndpointGate, relaxationOf, securityGate, sharedVolumeGate, plainService } from '../../../support/gates/catalogue.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const workload = (o: { spec: Obj }): Obj => o.spec.workload as Obj;

test('any caller: the subject declares id "*" inbound, the caller declares it outbound, the permit is AllowWildcard on Mesh "inbound" for ns/subject', () => {
  const g = anyCallerGate('gate-any-caller', 'catalog', 'web', 'run1');
  const [catalog, web] = g.services;
  assert.deepEqual(workload(catalog).resources['any-caller'], { type: 'service', direction: 'inbound', id: '*' });
  assert.deepEqual(workload(web).resources.catalog, { type: 'service', direction: 'outbound' });
  assert.equal(g.consent.by, 'platform');
  if (g.consent.by !== 'platform') return;
  assert.equal(g.consent.permit.metadata.namespace, 'lattice-system');
  assert.match(String(g.consent.permit.spec.policies), /principal == Lattice::Service::"gate-any-caller\/catalog"/);
  assert.match(String(g.consent.permit.spec.policies), /action == Lattice::Action::"AllowWildcard"/);
  assert.match(String(g.consent.permit.spec.policies), /resource == Lattice::Mesh::"inbound"/);
});

test('external endpoint: https means port 443, the permit names host:port, the resource key is the first label', () => {
  assert.deepEqual(endpointOf('https://httpbin.org'), { key: 'httpbin', host: 'httpbin.org', port: 443, id: 'httpbin.org:443' });
  assert.deepEqual(endpointOf('http://example.com:8080/'), { key: 'example', host: 'example.com', port: 8080, id: 'example.com:8080' });
  assert.throws(() => endpointOf('tcp://x:1'), /not an http\(s\):\/\/host\[:port\] URL/);
  const g = externalEndpointGate('gate-external', 'egress', 'https://httpbin.org', 'r');
  assert.deepEqual(workload(g.services[0]).resources.httpbin, { type: 'external-service', direction: 'outbound', params: { endpoints: { httpbin: 'https://httpbin.org' } } });
  if (g.consent.by !== 'platform') throw new Error('platform consent expected');
  assert.match(String(g.consent.permit.spec.policies), /resource == Lattice::ExternalEndpoint::"httpbin.org:443"/);
  assert.match(String(g.consent.permit.spec.policies), /AccessExternalEndpoint/);
});

test('relaxations map to Lattice override ids (security.rs:35-250) and an unknown one is refused in one line', () => {
  assert.deepEqual(relaxationOf('run as root'), { security: { runAsUser: 0 }, overrideId: 'runAsRoot' });
  assert.deepEqual(relaxationOf('add the NET_ADMIN capability'), { security: { capabilities: ['NET_ADMIN'] }, overrideId: 'capability:NET_ADMIN' });
  assert.throws(() => relaxationOf('run privileged'), /unknown relaxation "run privileged"/);
  const g = securityGate('gate-root', 'rooted', 'run as root', 'r');
  assert.equal(workload(g.services[0]).containers.main.security.runAsUser, 0);
  if (g.consent.by !== 'platform') throw new Error('platform consent expected');
  assert.match(String(g.consent.permit.spec.policies), /OverrideSecurity[\s\S]*SecurityOverride::"runAsRoot"/);
});

test('every gate container has a command (else allowedBinary:* would be a second exception) and limits (else refused)', () => {
  const all = [
    ...anyCallerGate('a', 'catalog', 'web', 'r').services, ...externalEndpointGate('b', 'e', 'https://h.io', 'r').services,
    ...securityGate('c', 's', 'add the NET_ADMIN capability', 'r').services, ...sharedVolumeGate('d', 'lib', 'books', 'reader', 'r').services,
    plainService('e', 'plain', 'r'),
  ];
  for (const svc of all) {
    const main = workload(svc).containers.main;
    assert.ok(Array.isArray(main.command) && main.command[0].startsWith('/'), `${svc.metadata.name} has an absolute command`);
    assert.ok(main.resources.limits.cpu && main.resources.limits.memory, `${svc.metadata.name} has limits`);
  }
  assert.equal(workload(plainService('e', 'plain', 'r')).containers.main.security, undefined, 'the plain service has no security block');
});

test('shared volume: the owner lists nobody, the consumer references the id without size, consent adds and removes the consumer', () => {
  const g = sharedVolumeGate('gate-volume', 'library', 'books', 'reader', 'r');
  const [owner, reader] = g.services;
  assert.deepEqual(workload(owner).resources.books.params.allowedConsumers, []);
  assert.equal(workload(owner).resources.books.params.size, '1Gi');
  assert.deepEqual(workload(reader).resources.books, { type: 'volume', id: 'books' });
  assert.equal(workload(reader).containers.main.volumes['/shelf'].source, '${resources.books}');
  if (g.consent.by !== 'owner') throw new Error('owner consent expected');
  assert.deepEqual((g.consent.grant as Obj).spec.workload.resources.books.params.allowedConsumers, ['reader']);
  assert.deepEqual((g.consent.revoke as Obj).spec.workload.resources.books.params.allowedConsumers, []);
});
