/**
 * Checks that must pass before Cucumber opens its report files, which it does after loading the
 * support code and before any hook runs: a reports folder it cannot write is one line and exit 2.
 */
import { reportsDirProblem } from '../run/reports-dir.js';
import { redact } from '../redact.js';

const problem = reportsDirProblem();
if (problem) {
  process.stderr.write(`lattice-acceptance: ${redact(problem)}\n`);
  process.exit(2);
}
