import { World, setWorldConstructor, type IWorldOptions } from '@cucumber/cucumber';
import { CleanupStack } from '../cleanup/cleanup-stack.js';
import { redact } from '../redact.js';
import { currentRun, type RunContext } from '../run/run-context.js';
import type { HierarchyDeps, ScenarioFamily } from '../hierarchy/index.js';

/**
 * One per scenario. Clusters live in the run-scoped registry (`this.run.clusters`); the World holds
 * only what a single scenario made (its cleanup stack, its mesh, its pending parallel checks).
 */
export class LatticeWorld extends World {
  readonly cleanup = new CleanupStack();
  scenarioName = '';
  scenarioSlug = '';
  /** Which spec variables pick this scenario's fixtures (set from its tags). */
  family: ScenarioFamily = 'lifecycle';
  /** Scenario-scoped results shared between steps, keyed by a domain noun ("mesh", "media"...). */
  readonly results = new Map<string, unknown>();

  constructor(options: IWorldOptions) { super(options); }

  get run(): RunContext { return currentRun(); }

  /** A line in the scenario's log (and the report); secrets are masked. */
  note(line: string): void {
    // After a step ends Cucumber refuses attachments; such late lines go to the run log.
    try { this.log(redact(line)); } catch { process.stderr.write(`${redact(line)}\n`); }
  }

  attachText(title: string, text: string): void {
    this.attach(redact(text), { mediaType: 'text/plain', fileName: title });
  }


  /**
   * A picture in the report (Cucumber's html report shows image attachments as images, text/html as
   * markup); sent base64 so the report can inline it.
   */
  attachSvg(title: string, svg: string): void {
    this.attach(Buffer.from(redact(svg), 'utf8'), { mediaType: 'image/svg+xml', fileName: title });
  }

  /** What the domain layer needs from this scenario: the run, a logger into its report, the run's interrupt signal. */
  get deps(): HierarchyDeps { return { run: this.run, log: (l) => this.note(l), signal: this.run.signal }; }

  remember<T>(key: string, value: T): T { this.results.set(key, value); return value; }

  recall<T>(key: string): T {
    if (!this.results.has(key)) throw new Error(`nothing recorded as "${key}" in this scenario; a step producing it must come first`);
    return this.results.get(key) as T;
  }
}

setWorldConstructor(LatticeWorld);
