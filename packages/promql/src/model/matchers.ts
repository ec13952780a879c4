import type { LabelMatcher } from '@vigil/protocols';
import type { Labels } from './labels.ts';
import { compileAnchoredRegex } from './regex.ts';

/** A compiled matcher set: true when every matcher accepts the label set (absent label = ""). */
export type LabelsPredicate = (labels: Labels) => boolean;

export function compileMatchers(matchers: readonly LabelMatcher[]): LabelsPredicate {
  const tests = matchers.map((m) => {
    const test = compileValueTest(m);
    return (labels: Labels): boolean => {
      let value = '';
      for (const l of labels) {
        if (l.name === m.name) {
          value = l.value;
          break;
        }
      }
      return test(value);
    };
  });
  return (labels) => tests.every((t) => t(labels));
}

function compileValueTest(m: LabelMatcher): (value: string) => boolean {
  switch (m.op) {
    case '=':
      return (v) => v === m.value;
    case '!=':
      return (v) => v !== m.value;
    case '=~': {
      const re = compileAnchoredRegex(m.value);
      return (v) => re.test(v);
    }
    case '!~': {
      const re = compileAnchoredRegex(m.value);
      return (v) => !re.test(v);
    }
  }
}
