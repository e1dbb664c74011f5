import { defineParameterType } from '@cucumber/cucumber';
import type { ClusterRole } from '../run/roles.js';

const PHASES = ['Pending', 'Provisioning', 'Pivoting', 'Ready', 'Unpivoting', 'Failed'];

// "the workload2 cluster" → 'workload2'; workload2 must be tried before workload.
defineParameterType({
  name: 'cluster',
  regexp: /management|workload2|workload/,
  transformer: (s: string): ClusterRole => s as ClusterRole,
});

// "Pending, Provisioning, Pivoting, Ready" → ['Pending', ...], each a LatticeCluster phase.
defineParameterType({
  name: 'phases',
  regexp: /(?:Pending|Provisioning|Pivoting|Ready|Unpivoting|Failed)(?:, (?:Pending|Provisioning|Pivoting|Ready|Unpivoting|Failed))*/,
  transformer: (s: string): string[] => {
    const list = s.split(',').map((p) => p.trim());
    for (const p of list) if (!PHASES.includes(p)) throw new Error(`"${p}" is not a LatticeCluster phase (${PHASES.join(', ')})`);
    return list;
  },
});
