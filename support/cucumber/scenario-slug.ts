import type { ITestCaseHookParameter } from '@cucumber/cucumber';

/** A folder-safe name for a scenario: feature file, line and title, e.g. `pivot-7-install-provision`. */
export function scenarioSlug(pickle: ITestCaseHookParameter['pickle']): string {
  const file = pickle.uri.split('/').pop()?.replace(/\.feature$/, '') ?? 'scenario';
  const words = pickle.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
  return `${file}-${pickle.id.slice(0, 8)}-${words}`;
}
