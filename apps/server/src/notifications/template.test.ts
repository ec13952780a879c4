import { describe, expect, it } from 'vitest';
import type { NotificationEvent } from './event.ts';
import { renderTemplate, unknownPlaceholders, type JsonValue } from './template.ts';

const event: NotificationEvent = {
  kind: 'incident_opened',
  project: 'default',
  applicationId: 'api',
  title: 'say "hi"\n<now>',
  summary: 'summary',
  severity: 'warning',
  atMs: Date.UTC(2025, 0, 1),
  incidentId: 'inc-1',
  details: { region: 'eu-west-1' },
};

describe('webhook templates', () => {
  it.each<[string, JsonValue, JsonValue]>([
    ['text with placeholders', '{{severity}}: {{ title }}', 'warning: say "hi"\n<now>'],
    ['a whole-string number', '{{atMs}}', Date.UTC(2025, 0, 1)],
    ['the ISO time', '{{at}}', '2025-01-01T00:00:00.000Z'],
    ['a whole-string object', '{{details}}', { region: 'eu-west-1' }],
    ['an object inside text', 'd={{details}}', 'd={"region":"eu-west-1"}'],
    ['one detail', '{{details.region}}', 'eu-west-1'],
    ['a missing detail', '{{details.zone}}', null],
    ['a missing field in text', 'deploy {{deploymentId}}!', 'deploy !'],
    ['non-strings untouched', [1, true, null], [1, true, null]],
    ['keys untouched', { '{{title}}': '{{kind}}' }, { '{{title}}': 'incident_opened' }],
  ])('renders %s', (_name, template, expected) => {
    expect(renderTemplate(template, event)).toEqual(expected);
  });

  it('keeps the rendered body valid JSON whatever the event text holds', () => {
    const body = renderTemplate({ text: 'x {{title}} y' }, event);
    expect(JSON.parse(JSON.stringify(body))).toEqual({ text: 'x say "hi"\n<now> y' });
  });

  it('finds unknown placeholders anywhere in the template', () => {
    expect(
      unknownPlaceholders({ a: ['{{title}} {{nope}}'], b: { c: '{{details.x}} {{details}} {{also.bad}}' } }),
    ).toEqual(['nope', 'also.bad']);
  });
});
