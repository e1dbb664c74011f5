/**
 * The two containers of a 2026-04 mesh, as upstream b5d50e90 builds them
 * (crates/lattice-cli/tests/e2e/mesh_fixtures.rs:25-125): unprivileged images on target ports,
 * emptyDirs where the read-only root filesystem (the restricted default, docs §5.2) needs writes,
 * the required limits, and the relaxations its Docker clusters need (AppArmor unconfined, any
 * binary from the shell). Deliberate difference: upstream rewrites images to its GHCR mirror
 * (helpers/mod.rs:270-294, with imagePullSecrets `default`); the suite pulls the Docker Hub names.
 */
import type { ContainerSpec } from '../../../mesh/lattice-objects.js';

export const GENERATOR_IMAGE = 'curlimages/curl:latest';
export const SERVER_IMAGE = 'nginxinc/nginx-unprivileged:alpine';
/** The Service port callers use; the unprivileged nginx listens on SERVER_TARGET_PORT behind it. */
export const SERVER_PORT = 80;
export const SERVER_TARGET_PORT = 8080;

/** requests 50m/64Mi, limits 200m/128Mi (mesh_fixtures.rs:68-77); 2026-04 refuses a container without limits (container.rs:408-417). */
const RESOURCES = { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } };

/** Answers 200 "ok" on every path of port 8080 (mesh_fixtures.rs:56-66). */
export const SERVER_SCRIPT = 'printf \'server { listen 8080; location / { return 200 "ok\\n"; add_header Content-Type text/plain; } }\' '
  + "> /etc/nginx/conf.d/default.conf && nginx -g 'daemon off;'";

/** A volume mount with no source is an emptyDir (container.rs:337-392). */
const EMPTY_DIR = {};

export function serverContainer(): ContainerSpec {
  return {
    image: SERVER_IMAGE,
    command: ['/bin/sh'],
    args: ['-c', SERVER_SCRIPT],
    volumes: { '/etc/nginx/conf.d': { ...EMPTY_DIR }, '/var/cache/nginx': { ...EMPTY_DIR }, '/var/run': { ...EMPTY_DIR }, '/tmp': { ...EMPTY_DIR } } as unknown as ContainerSpec['volumes'],
    resources: structuredClone(RESOURCES),
    security: { apparmorProfile: 'Unconfined', allowedBinaries: ['*'] },
  };
}

export function generatorContainer(script: string): ContainerSpec {
  return {
    image: GENERATOR_IMAGE,
    command: ['/bin/sh'],
    args: ['-c', script],
    volumes: { '/tmp': { ...EMPTY_DIR } } as unknown as ContainerSpec['volumes'],
    resources: structuredClone(RESOURCES),
    // curl_user's UID: the restricted default runs as non-root and Kubernetes needs a number to check it (mesh_fixtures.rs:110-116).
    security: { runAsUser: 100, apparmorProfile: 'Unconfined', allowedBinaries: ['*'] },
  };
}
