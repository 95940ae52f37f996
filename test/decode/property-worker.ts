/**
 * Runs the totality property off the test's thread (property.test.ts): a decoder that loops
 * forever on a case would otherwise freeze the test runner instead of failing it. Each case is
 * announced before it runs, so a case that never finishes is named exactly.
 */
import { parentPort, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import { applyPlan, breach, describePlan, loadFixtures, planArb, planFor, type Targeted } from './mutate.js';

const { seed, numRuns, targeted } = workerData as { seed: number; numRuns: number; targeted: Targeted[] };
const fixtures = loadFixtures();
// The mutations a report named run first, then the generated ones.
const examples = targeted.map((t) => [planFor(fixtures, t)] as [ReturnType<typeof planFor>]);
let cases = 0;
const details = fc.check(
  fc.property(planArb, (plan) => {
    cases++;
    parentPort!.postMessage({ type: 'case', n: cases, plan: describePlan(fixtures, plan) });
    const problem = breach(applyPlan(fixtures, plan));
    if (problem) throw new Error(problem);
  }),
  { seed, numRuns, examples },
);
parentPort!.postMessage({
  type: 'done',
  cases,
  fixtures: fixtures.length,
  failed: details.failed,
  counterexample: details.counterexample ? describePlan(fixtures, details.counterexample[0]) : null,
  error: details.errorInstance instanceof Error ? details.errorInstance.message : details.failed ? String(details.errorInstance) : null,
  seed: details.seed,
  path: details.counterexample ? details.counterexamplePath : null,
});
