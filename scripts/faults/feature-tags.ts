/**
 * A small reader of the feature files' tags and steps, enough to check that every fault's tag
 * expression selects at least one scenario and that the step it should fail at exists there.
 * One entry per scenario, or per `Examples:` block of a scenario outline (as Cucumber's pickles).
 */

export interface ScenarioTags {
  feature: string;
  name: string;
  tags: string[];
  /** Step texts without keywords, background steps first; outline placeholders left as `<x>`. */
  steps: string[];
}

const STEP = /^(Given|When|Then|And|But|\*)\s+(.*)$/;
const tagsOf = (line: string) => line.split(/\s+/).filter((t) => t.startsWith('@'));

export function readFeatureScenarios(text: string): ScenarioTags[] {
  const out: ScenarioTags[] = [];
  let pending: string[] = [];
  let featureTags: string[] = [];
  let feature = '';
  const background: string[] = [];
  let inBackground = false;
  let current: { name: string; tags: string[]; steps: string[]; outline: boolean; examples: number } | undefined;
  const flush = () => {
    if (current && !current.outline) out.push({ feature, name: current.name, tags: [...featureTags, ...current.tags], steps: [...background, ...current.steps] });
    current = undefined;
  };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('@')) { pending.push(...tagsOf(line)); continue; }
    const kw = /^(Feature|Background|Scenario Outline|Scenario Template|Scenario|Example|Examples|Scenarios):\s*(.*)$/.exec(line);
    if (kw) {
      const [, word, title] = kw;
      if (word === 'Feature') { feature = title!; featureTags = pending; }
      else if (word === 'Background') { flush(); inBackground = true; }
      else if (word === 'Examples' || word === 'Scenarios') {
        if (current?.outline) {
          current.examples++;
          out.push({ feature, name: `${current.name} (examples ${current.examples})`, tags: [...featureTags, ...current.tags, ...pending], steps: [...background, ...current.steps] });
        }
      } else {
        flush();
        inBackground = false;
        current = { name: title!, tags: pending, steps: [], outline: word !== 'Scenario' && word !== 'Example', examples: 0 };
      }
      pending = [];
      continue;
    }
    const step = STEP.exec(line);
    if (step) {
      if (inBackground) background.push(step[2]!);
      else current?.steps.push(step[2]!);
    }
  }
  flush();
  return out;
}
