/**
 * `npm run reports:merge -- --out <folder> <reports folder or ndjson>...`: one HTML report and one
 * JUnit file from several runs' Cucumber messages (CI shards), or from a killed run's messages.
 * Each reports folder's run-identity.json is shown at the top of the HTML report.
 */
import { rebuildReports, ReportSourceError } from '../support/report/rebuild.js';

const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const out = outAt >= 0 ? args[outAt + 1] : undefined;
const sources = args.filter((_, i) => i !== outAt && i !== outAt + 1);
if (!out || sources.length === 0) {
  process.stderr.write('usage: npm run reports:merge -- --out <folder> <reports folder or cucumber.ndjson>...\n');
  process.exit(2);
}
try {
  const r = await rebuildReports(sources, out);
  const cut = r.cutLines ? `; ${r.cutLines} cut line(s) skipped` : '';
  console.log(`${sources.length} message stream(s), ${r.scenarios} scenario(s)${cut}\nHTML report: ${r.html}\nJUnit: ${r.junit}`);
} catch (err) {
  if (!(err instanceof ReportSourceError)) throw err;
  process.stderr.write(`reports:merge: ${err.message}\n`);
  process.exit(2);
}
