import { describe, expect, it } from 'vitest';
import { series } from '../testing/series-notation.ts';
import { testEngine } from '../testing/harness.ts';

const S = 10_000;
const { instant } = testEngine([
  series('a{job="x",i="1"}', '1', S),
  series('a{job="x",i="2"}', '2', S),
  series('a{job="y",i="1"}', '3', S),
  series('b{job="x",tier="t1"}', '10', S),
  series('b{job="y",tier="t2"}', '20', S),
  series('c{job="x",i="1"}', '5', S),
  series('v{g="1",i="1"}', '1', S),
  series('v{g="1",i="2"}', '4', S),
  series('v{g="2",i="3"}', '7', S),
  series('v{g="2",i="4"}', 'NaN', S),
  series('v2{g="1",i="1"}', '1', S),
]);

describe('binary operators', () => {
  it.each([
    ['a * 2', ['{i="1", job="x"} 2', '{i="1", job="y"} 6', '{i="2", job="x"} 4']],
    ['a > 1', ['{__name__="a", i="1", job="y"} 3', '{__name__="a", i="2", job="x"} 2']],
    ['1 < a', ['{__name__="a", i="1", job="y"} 3', '{__name__="a", i="2", job="x"} 2']],
    ['a > bool 1', ['{i="1", job="x"} 0', '{i="1", job="y"} 1', '{i="2", job="x"} 1']],
    ['2 ^ 3 ^ 2', ['512']],
    ['-2 ^ 2', ['-4']],
    ['7 % -3', ['1']],
    ['1 == bool 1', ['1']],
    ['a + c', ['{i="1", job="x"} 6']],
    ['a == c', []],
    ['c > a', ['{__name__="c", i="1", job="x"} 5']],
    [
      'a * on(job) group_left(tier) b',
      ['{i="1", job="x", tier="t1"} 10', '{i="1", job="y", tier="t2"} 60', '{i="2", job="x", tier="t1"} 20'],
    ],
    ['b * on(job) group_right a', ['{i="1", job="x"} 10', '{i="1", job="y"} 60', '{i="2", job="x"} 20']],
    [
      'a atan2 on(job) group_left b',
      [
        '{__name__="a", i="1", job="x"} 0.09966865249116204',
        '{__name__="a", i="1", job="y"} 0.14888994760949725',
        '{__name__="a", i="2", job="x"} 0.19739555984988078',
      ],
    ],
    ['a > on(job) group_left b', []],
    ['a < bool on(job) group_left b', ['{i="1", job="x"} 1', '{i="1", job="y"} 1', '{i="2", job="x"} 1']],
    ['a and c', ['{__name__="a", i="1", job="x"} 1']],
    ['a and on(job) b{job="y"}', ['{__name__="a", i="1", job="y"} 3']],
    ['a unless c', ['{__name__="a", i="1", job="y"} 3', '{__name__="a", i="2", job="x"} 2']],
    [
      'c or a',
      [
        '{__name__="a", i="1", job="y"} 3',
        '{__name__="a", i="2", job="x"} 2',
        '{__name__="c", i="1", job="x"} 5',
      ],
    ],
    [
      'a or on(job) b',
      [
        '{__name__="a", i="1", job="x"} 1',
        '{__name__="a", i="1", job="y"} 3',
        '{__name__="a", i="2", job="x"} 2',
      ],
    ],
  ])('%s gives %j', async (expr, expected) => {
    expect(await instant(expr, 0)).toEqual(expected);
  });

  it.each([
    [
      'a * on(job) b',
      'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
    ],
    [
      'b * on(job) group_left a',
      'found duplicate series for the match group {job="x"} on the right hand-side of the operation: ' +
        '[{__name__="a", i="2", job="x"}, {__name__="a", i="1", job="x"}];many-to-many matching not allowed: matching labels must be unique on one side',
    ],
    [
      '{__name__=~"v|v2"} * on(g) group_left sum by (g) (v)',
      'multiple matches for labels: grouping labels must ensure unique matches',
    ],
    ['{__name__=~"v|v2"} + 1', 'vector cannot contain metrics with the same labelset'],
    ['-{__name__=~"v|v2"}', 'vector cannot contain metrics with the same labelset'],
  ])('%s fails with %j', async (expr, message) => {
    await expect(instant(expr, 0)).rejects.toThrow(message);
  });
});

describe('aggregations', () => {
  it.each([
    ['sum(v)', ['{} NaN']],
    ['sum by (g) (v)', ['{g="1"} 5', '{g="2"} NaN']],
    ['sum without (i) (v)', ['{g="1"} 5', '{g="2"} NaN']],
    ['avg by (g) (v)', ['{g="1"} 2.5', '{g="2"} NaN']],
    ['min by (g) (v)', ['{g="1"} 1', '{g="2"} 7']],
    ['max by (g) (v)', ['{g="1"} 4', '{g="2"} 7']],
    ['count by (g) (v)', ['{g="1"} 2', '{g="2"} 2']],
    ['group by (g) (v)', ['{g="1"} 1', '{g="2"} 1']],
    ['stdvar by (g) (v)', ['{g="1"} 2.25', '{g="2"} NaN']],
    ['stddev by (g) (v)', ['{g="1"} 1.5', '{g="2"} NaN']],
    ['quantile by (g) (0.5, v)', ['{g="1"} 2.5', '{g="2"} NaN']],
    ['topk(2, v)', ['{__name__="v", g="1", i="2"} 4', '{__name__="v", g="2", i="3"} 7']],
    ['bottomk by (g) (1, v)', ['{__name__="v", g="1", i="1"} 1', '{__name__="v", g="2", i="3"} 7']],
    ['topk(0, v)', []],
    ['count_values("value", v)', ['{value="1"} 1', '{value="4"} 1', '{value="7"} 1', '{value="NaN"} 1']],
    ['count_values by (g) ("value", v > 2)', ['{g="1", value="4"} 1', '{g="2", value="7"} 1']],
    ['sum by (__name__) ({__name__=~"v|v2"})', ['{__name__="v"} NaN', '{__name__="v2"} 1']],
    ['sum(a) by (job)', ['{job="x"} 3', '{job="y"} 3']],
  ])('%s gives %j', async (expr, expected) => {
    expect(await instant(expr, 0)).toEqual(expected);
  });

  it('rejects a topk parameter that is not an int64', async () => {
    await expect(instant('topk(NaN, v)', 0)).rejects.toThrow('Scalar value NaN overflows int64');
  });

  it('lists aggregation groups of an instant query in order of appearance', async () => {
    const e = testEngine([
      series('w{g="b"}', '1', S),
      series('w{g="a"}', '2', S),
      series('w{g="b"}', '3', S),
    ]);
    const r = await e.engine.instantQuery('sum by (g) (w)', 0);
    expect(r.resultType === 'vector' && r.result.map((s) => s.metric[0]!.value)).toEqual(['a', 'b']);
  });
});
