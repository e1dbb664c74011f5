// The command-line checks shared by `npm run e2e` (scripts/e2e.mjs) and a bare `npx cucumber-js`
// (cucumber.js runs them when Cucumber's own CLI loads it): each bad input is one line naming the
// input and the fix, and exit code 2, before Cucumber starts (Cucumber would print a stack).
// Plain JavaScript: both callers run before any TypeScript loader is registered.
import parseTagExpression from '@cucumber/tag-expressions';

/** Profiles that select one cloud provider's examples and only make sense against a real Lattice. */
export const CLOUD_PROFILES = { aws: 'AWS', openstack: 'OpenStack', proxmox: 'Proxmox' };

/** What the arguments ask for: profiles, tag expressions, --parallel, --config. */
export function readArgs(args) {
  const out = { profiles: [], tags: [], parallel: undefined, config: undefined, problems: [] };
  const value = (i, flag) => {
    const v = args[i + 1];
    if (v === undefined) out.problems.push(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.indexOf('=');
    const [flag, inline] = a.startsWith('--') && eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    const take = () => (inline !== undefined ? inline : value(i++, flag));
    if (flag === '-p' || flag === '--profile') { const v = take(); if (v !== undefined) out.profiles.push(v); }
    else if (flag === '-t' || flag === '--tags') { const v = take(); if (v !== undefined) out.tags.push(v); }
    else if (flag === '--parallel') { const v = take(); if (v !== undefined) out.parallel = v; }
    else if (flag === '-c' || flag === '--config') { const v = take(); if (v !== undefined) out.config = v; }
  }
  return out;
}

/**
 * One line per problem with the command line (empty when it is fine). `profiles` are the names
 * cucumber.js exports; `env` decides the target.
 */
export function checkArgs(args, profiles, env = process.env) {
  const a = readArgs(args);
  const problems = [...a.problems.map((p) => `${p}; see README "Other commands"`)];
  for (const p of a.profiles) {
    if (!profiles.includes(p)) problems.push(`unknown profile "${p}"; use one of ${profiles.join(', ')} (defined in cucumber.js)`);
  }
  for (const t of a.tags) {
    try { parseTagExpression(t); } catch (err) {
      const why = String(err?.message ?? err).split('\n')[0].replace(/^Tag expression ".*" could not be parsed because of syntax error: /, '');
      problems.push(`--tags ${JSON.stringify(t)} is not a tag expression (${why}); write e.g. "@mesh and not @random-mesh"`);
    }
  }
  const real = env.LATTICE_TARGET?.trim() === 'real';
  for (const p of a.profiles) {
    if (CLOUD_PROFILES[p] && !real) {
      problems.push(`--profile ${p} runs ${CLOUD_PROFILES[p]} clusters and needs LATTICE_TARGET=real (and ${CLOUD_PROFILES[p]} credentials); for the ${CLOUD_PROFILES[p]} rows on the embedded target use --tags @${p}`);
    }
  }
  if (a.parallel !== undefined && a.parallel !== '0' && a.parallel !== '1') {
    problems.push(`--parallel ${a.parallel}: one run drives one set of clusters with fixed names (lattice-bootstrap, the fixtures' clusters), so workers would collide; split the features across CI jobs instead (the matrix in .github/workflows/acceptance.yml) and merge their reports with npm run reports:merge`);
  }
  return problems;
}
