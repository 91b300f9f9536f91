/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS files jest loads untranspiled */
const Sequencer = require("@jest/test-sequencer").default;

/**
 * jest's order (failed first, then slowest first by the last run's times), except that the file
 * planning with the real Terraform always starts first: it mostly waits on Terraform's own
 * processes, which then run beside the other worker's files instead of after them. Without a
 * timing cache (a fresh checkout, CI) jest would otherwise order by file size.
 */
const FIRST = [/\/verification\/offline-verification\.test\.ts$/];

class TerraformFirstSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const rank = (test) => {
      const index = FIRST.findIndex((pattern) => pattern.test(test.path));
      return index < 0 ? FIRST.length : index;
    };
    return sorted.map((test, order) => ({ test, order })).sort((a, b) => rank(a.test) - rank(b.test) || a.order - b.order).map(({ test }) => test);
  }
}

module.exports = TerraformFirstSequencer;
