/**
 * Cucumber describes the CI system in its reports' `meta` (build URL, git remote) from the
 * environment, after loading the support code: scrub, before that, the variables that would put a
 * CI URL's user info or a secret there (see support/redact-ci-env.ts).
 */
import detectCiEnvironment from '@cucumber/ci-environment';
import { scrubCiEnv } from '../redact-ci-env.js';

scrubCiEnv(process.env, detectCiEnvironment);
