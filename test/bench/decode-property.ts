/**
 * The decoder's totality property at bench scale: many more mutated real transactions than the
 * test runs (test/decode/property.test.ts), reporting cases per second, what the decoder made of
 * them, and any breach of the contract. The baseline, in the same process and the same loop, is
 * the unmutated fixtures (copy + decode), so the ratio shows what validation and rejection cost.
 */
import fc from 'fast-check';
import { performance } from 'node:perf_hooks';
import { applyPlan, describePlan, judge, loadFixtures, planArb, type Plan } from '../decode/mutate.js';

interface Tally {
  cases: number;
  seconds: number;
  trades: number;
  empty: number;
  malformed: number;
  breaches: number;
  firstBreach: string | null;
}

function run(plans: Plan[], fixtures: ReturnType<typeof loadFixtures>): Tally {
  const t: Tally = { cases: 0, seconds: 0, trades: 0, empty: 0, malformed: 0, breaches: 0, firstBreach: null };
  const start = performance.now();
  for (const plan of plans) {
    const raw = applyPlan(fixtures, plan);
    t.cases++;
    const { outcome, breach } = judge(raw);
    if (breach) {
      t.breaches++;
      t.firstBreach ??= `${breach} — ${describePlan(fixtures, plan)}`;
    } else if (outcome === 'trades') t.trades++;
    else if (outcome === 'empty') t.empty++;
    else t.malformed++;
  }
  t.seconds = (performance.now() - start) / 1000;
  return t;
}

export async function benchDecodeProperty(cases = Number(process.env.BENCH_PROPERTY_CASES ?? 30000)): Promise<Record<string, number>> {
  const fixtures = loadFixtures();
  const plans = fc.sample(planArb, { numRuns: cases, seed: 1717 });
  const unmutated: Plan[] = plans.map((p) => ({ fixture: p.fixture, steps: [] }));
  run(unmutated.slice(0, 2000), fixtures); // warm up the JIT
  const base = run(unmutated, fixtures);
  const mut = run(plans, fixtures);
  const rate = (x: Tally) => x.cases / x.seconds;
  console.log(`decode property: ${mut.cases} mutated copies of ${fixtures.length} real and constructed transactions (seed 1717)`);
  console.log(`  mutated     ${rate(mut).toFixed(0).padStart(8)} cases/s   trades ${mut.trades}, [] ${mut.empty}, MalformedTransactionError ${mut.malformed}, breaches ${mut.breaches}`);
  console.log(`  unmutated   ${rate(base).toFixed(0).padStart(8)} cases/s   (baseline, same process, same copy + decode loop)`);
  console.log(`  ratio       ${(rate(mut) / rate(base)).toFixed(2).padStart(8)}×`);
  if (mut.firstBreach) console.log(`  first breach: ${mut.firstBreach}`);
  return { casesPerSec: rate(mut), baselinePerSec: rate(base), breaches: mut.breaches };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchDecodeProperty();
}
