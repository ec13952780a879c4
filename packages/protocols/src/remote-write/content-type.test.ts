import { describe, expect, it } from 'vitest';
import { remoteWriteVersionFromContentType } from './content-type.ts';

describe('remoteWriteVersionFromContentType', () => {
  it.each([
    { contentType: undefined, version: '1.0' },
    { contentType: '', version: '1.0' },
    { contentType: 'application/x-protobuf', version: '1.0' },
    { contentType: 'application/x-protobuf;proto=prometheus.WriteRequest', version: '1.0' },
    { contentType: 'application/x-protobuf;proto=io.prometheus.write.v2.Request', version: '2.0' },
    { contentType: 'Application/X-Protobuf; Proto="io.prometheus.write.v2.Request"', version: '2.0' },
    {
      contentType: 'application/x-protobuf; charset=utf-8; proto=io.prometheus.write.v2.Request',
      version: '2.0',
    },
    { contentType: 'application/x-protobuf;', version: '1.0' },
  ])('reads $contentType as $version', ({ contentType, version }) => {
    expect(remoteWriteVersionFromContentType(contentType)).toBe(version);
  });

  it.each([
    { contentType: 'application/json', why: 'media type is not application/x-protobuf' },
    {
      contentType: 'application/x-protobuf;proto=io.prometheus.write.v3.Request',
      why: 'unknown proto message',
    },
    {
      contentType: 'application/x-protobuf;proto=IO.PROMETHEUS.WRITE.V2.REQUEST',
      why: 'unknown proto message',
    },
    { contentType: 'application/x-protobuf;proto', why: 'is not name=value' },
    { contentType: 'application/json;proto=io.prometheus.write.v2.Request', why: 'media type' },
  ])('refuses $contentType, naming it, for a 415', ({ contentType, why }) => {
    const result = remoteWriteVersionFromContentType(contentType);
    expect(result).toEqual({ error: expect.stringContaining(`unsupported content type "${contentType}"`) });
    expect((result as { error: string }).error).toContain(why);
  });
});
