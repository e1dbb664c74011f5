import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Pod } from '@kubernetes/client-node';
import { servicesWithoutOnePod } from '../../../support/traffic/deploy-mesh.js';

const pod = (service: string, terminating = false): V1Pod => ({
  metadata: { labels: { 'app.kubernetes.io/name': service }, ...(terminating ? { deletionTimestamp: new Date() } : {}) },
});

test('each service runs exactly one pod: a second replica or a missing pod is named; terminating pods and the waypoint do not count', () => {
  assert.deepEqual(servicesWithoutOnePod([pod('web'), pod('api'), pod('mesh-waypoint'), pod('api', true)], ['web', 'api']), []);
  assert.deepEqual(servicesWithoutOnePod([pod('web'), pod('web'), pod('api')], ['web', 'api']), [{ service: 'web', pods: 2 }]);
  assert.deepEqual(servicesWithoutOnePod([pod('web')], ['web', 'api']), [{ service: 'api', pods: 0 }]);
});
