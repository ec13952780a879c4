import { describe, expect, it } from 'vitest';
import { formatFloatLabel } from './format-float.ts';
import { sanitizeLabelName, type LabelNameRules } from './label-name.ts';

const PROMETHEUS_DEFAULTS: LabelNameRules = {
  preserveMultipleUnderscores: true,
  underscoreSanitization: true,
};
const SPEC: LabelNameRules = { preserveMultipleUnderscores: false, underscoreSanitization: false };

// [key, with Prometheus's default settings, with spec settings]; from otlptranslator's
// label_namer_test.go and the spec's "Metric Attributes" section.
const CASES: readonly [string, string | undefined, string | undefined][] = [
  ['http.method', 'http_method', 'http_method'],
  ['label:with:colons', 'label_with_colons', 'label_with_colons'],
  ['LabelWithCapitalLetters', 'LabelWithCapitalLetters', 'LabelWithCapitalLetters'],
  ['label!with&special$chars)', 'label_with_special_chars_', 'label_with_special_chars_'],
  [
    'label_with_foreign_characters_字符',
    'label_with_foreign_characters___',
    'label_with_foreign_characters_',
  ],
  ['label.with.dots', 'label_with_dots', 'label_with_dots'],
  ['a..b', 'a__b', 'a_b'],
  ['a__b', 'a__b', 'a_b'],
  ['123label', 'key_123label', 'key_123label'],
  [
    '_label_starting_with_underscore',
    'key_label_starting_with_underscore',
    '_label_starting_with_underscore',
  ],
  [
    '__label_starting_with_2underscores',
    '__label_starting_with_2underscores',
    '_label_starting_with_2underscores',
  ],
  ['__reserved__', '__reserved__', '__reserved__'],
  ['__re..served__', '__re__served__', '__re_served__'],
  ['.hidden', 'key_hidden', '_hidden'],
  ['emoji🙂x', 'emoji_x', 'emoji_x'],
  ['label.name__with&&special##chars', 'label_name__with__special__chars', 'label_name_with_special_chars'],
  ['__reserved__label__name__', '__reserved__label__name__', '__reserved_label_name__'],
  ['trailing_underscores___', 'trailing_underscores___', 'trailing_underscores_'],
  ['ようこそ', undefined, undefined],
  ['__', undefined, undefined],
  ['_', 'key_', undefined],
  ['...', undefined, undefined],
  ['', undefined, undefined],
];

describe('sanitizeLabelName', () => {
  it.each(CASES)('turns attribute key %j into %j with Prometheus defaults', (key, expected) => {
    expect(sanitizeLabelName(key, PROMETHEUS_DEFAULTS)).toBe(expected);
  });

  it.each(CASES)(
    'turns attribute key %j into %j in spec mode (collapsing underscores)',
    (key, _, expected) => {
      expect(sanitizeLabelName(key, SPEC)).toBe(expected);
    },
  );
});

describe('formatFloatLabel', () => {
  it.each([
    [0.5, '0.5'],
    [1, '1'],
    [0.99, '0.99'],
    [1e-7, '0.0000001'],
    [1.5e-7, '0.00000015'],
    [-2.5e-9, '-0.0000000025'],
    [1e21, '1000000000000000000000'],
    [1.2345e22, '12345000000000000000000'],
    [123456.789, '123456.789'],
    [-0, '-0'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [NaN, 'NaN'],
  ])('writes %d as %s, like Go FormatFloat(v, f, -1, 64)', (value, expected) => {
    expect(formatFloatLabel(value)).toBe(expected);
  });
});
