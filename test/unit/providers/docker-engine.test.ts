import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectDocker, resolveDockerHost } from '../../../support/providers/docker/engine.js';
import { decideEngineGate } from '../../helpers/docker-engine.js';
import { isStaticElf } from '../../helpers/docker-image.js';

describe('reaching the Docker engine', () => {
  it('takes DOCKER_HOST like the docker CLI, else the local socket', () => {
    assert.equal(resolveDockerHost(undefined, {}), 'unix:///var/run/docker.sock');
    assert.equal(resolveDockerHost(undefined, { DOCKER_HOST: 'tcp://10.0.0.2:2375' }), 'tcp://10.0.0.2:2375');
    assert.equal(resolveDockerHost('unix:///x.sock', { DOCKER_HOST: 'tcp://10.0.0.2:2375' }), 'unix:///x.sock');
  });

  it('connects to unix sockets and tcp addresses, and names any other scheme', () => {
    assert.equal((connectDocker('unix:///run/d.sock').modem as unknown as { socketPath: string }).socketPath, '/run/d.sock');
    const m = connectDocker('tcp://127.0.0.1:2375').modem as unknown as { host: string; port: number; protocol: string };
    assert.deepEqual([m.host, m.port, m.protocol], ['127.0.0.1', 2375, 'http']);
    assert.throws(() => connectDocker('ssh://user@h'), /DOCKER_HOST "ssh:\/\/user@h" is not a unix:\/\/ or tcp:\/\/ address/);
  });

  it('lets Docker tests skip without an engine locally but fail under CI=true', () => {
    assert.equal(decideEngineGate(true, { CI: 'true' }), 'run');
    assert.equal(decideEngineGate(false, {}), 'skip');
    assert.equal(decideEngineGate(false, { CI: 'false' }), 'skip');
    assert.equal(decideEngineGate(false, { CI: 'true' }), 'fail');
  });

  it('tells a static ELF from a dynamic one (the test image has no libc)', () => {
    const elf = (interp: boolean): Buffer => {
      const b = Buffer.alloc(64 + 56 * 2);
      b.writeUInt32BE(0x7f454c46, 0); b[4] = 2;
      b.writeBigUInt64LE(64n, 0x20); b.writeUInt16LE(56, 0x36); b.writeUInt16LE(2, 0x38);
      b.writeUInt32LE(1, 64); b.writeUInt32LE(interp ? 3 : 1, 64 + 56);
      return b;
    };
    assert.equal(isStaticElf(elf(false)), true);
    assert.equal(isStaticElf(elf(true)), false);
    assert.equal(isStaticElf(Buffer.from('#!/bin/sh\n')), false);
  });
});
