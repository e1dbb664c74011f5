import { Then, When } from '@cucumber/cucumber';
import { buildFixedMesh, describeMismatch, describeRandomMesh, generateRandomMeshFromEnv } from '../support/mesh/index.js';
import { chooseFixture, clientOf, ensureChild } from '../support/hierarchy/index.js';
import { runMeshCheck } from '../support/traffic/index.js';
import { renderTruthTableSvg } from '../support/report/truth-table-svg.js';
import { assertNoProblems } from '../support/report/violations.js';
import { runMediaCheck } from '../support/workloads/media-check.js';
import type { ClusterRole } from '../support/run/roles.js';
import type { LatticeWorld } from '../support/cucumber/world.js';

// The spec runs the mesh, random-mesh and media checks on the workload cluster while workload2
// is being provisioned on it: the checks must hold while the cluster is busy parenting.
When('the {cluster} cluster is created on the {cluster} cluster from the {string} fixture while the mesh and media checks run on the {cluster} cluster',
  async function (this: LatticeWorld, role: ClusterRole, parentRole: ClusterRole, fixture: string, checkRole: ClusterRole) {
    const choice = chooseFixture(this.run.config, this.family, role, fixture);
    const client = clientOf(this.run.clusters.require(checkRole));
    const log = (l: string) => this.note(l);
    const creation = ensureChild(this.deps, { role, parentRole, fixturePath: choice.path, fresh: true });
    const checks: Array<Promise<string[]>> = [];
    if (this.run.config.enableMeshTest) {
      const random = generateRandomMeshFromEnv(process.env).mesh;
      log(describeRandomMesh(random));
      checks.push(runMeshCheck(this.run, client, buildFixedMesh(), { title: 'Fixed mesh', podsWait: 'meshPods', log, removeAfter: true })
        .then((r) => { this.attachSvg('fixed-mesh-truth-table.svg', renderTruthTableSvg(r.verification, 'Fixed mesh')); return r.verification.mismatches.map((m) => `fixed mesh: ${describeMismatch(m)}`); }));
      checks.push(runMeshCheck(this.run, client, random, { title: `Random mesh (seed ${random.seed})`, podsWait: 'randomMeshPods', log, removeAfter: true })
        .then((r) => { this.attachSvg('random-mesh-truth-table.svg', renderTruthTableSvg(r.verification, `Random mesh (seed ${random.seed})`)); return r.verification.mismatches.map((m) => `random mesh (seed ${random.seed}): ${describeMismatch(m)}`); }));
      checks.push(runMediaCheck(this.run, client, log).then((r) => r.problems.map((p) => `media: ${p}`)));
    } else {
      log('LATTICE_ENABLE_MESH_TEST is off: only workload2 is created');
    }
    const [created, ...results] = await Promise.allSettled([creation, ...checks]);
    this.remember('parallelProblems', results.flatMap((r) => r.status === 'fulfilled' ? r.value : [`check failed: ${(r.reason as Error).message}`]));
    if (created!.status === 'rejected') throw created!.reason;
  });

Then('the mesh and media checks on the {cluster} cluster passed', function (this: LatticeWorld, _role: ClusterRole) {
  assertNoProblems(this.recall<string[]>('parallelProblems'), 'the mesh and media checks');
});
