/**
 * Which remote write message a request carries, from its Content-Type, as the remote write 2.0
 * specification negotiates it: the media type is always `application/x-protobuf`, and the
 * optional `proto` parameter names the message.
 *
 * ```
 * application/x-protobuf                                        1.0 prometheus.WriteRequest
 * application/x-protobuf;proto=prometheus.WriteRequest          1.0
 * application/x-protobuf;proto=io.prometheus.write.v2.Request   2.0
 * anything else                                                 415 Unsupported Media Type
 * ```
 */

export type RemoteWriteVersion = '1.0' | '2.0';

const MEDIA_TYPE = 'application/x-protobuf';
const V1_MESSAGE = 'prometheus.WriteRequest';
const V2_MESSAGE = 'io.prometheus.write.v2.Request';

const unsupported = (contentType: string, why: string): { error: string } => ({
  error:
    `unsupported content type "${contentType}" (${why}); remote write accepts ${MEDIA_TYPE}, ` +
    `optionally with proto=${V1_MESSAGE} or proto=${V2_MESSAGE}`,
});

/**
 * The remote write version a Content-Type header selects, or an error message for a 415 naming
 * the header's value. A missing or empty header means 1.0, as Prometheus's own receiver assumes
 * for old senders. Media type and parameter names are case-insensitive (RFC 9110), parameter
 * values may be quoted, and other parameters (such as charset) are ignored.
 */
export function remoteWriteVersionFromContentType(
  contentType: string | undefined,
): RemoteWriteVersion | { error: string } {
  if (contentType === undefined || contentType.trim() === '') return '1.0';
  const [mediaType = '', ...parameters] = contentType.split(';');
  if (mediaType.trim().toLowerCase() !== MEDIA_TYPE) {
    return unsupported(contentType, `media type is not ${MEDIA_TYPE}`);
  }
  let version: RemoteWriteVersion = '1.0';
  for (const parameter of parameters) {
    if (parameter.trim() === '') continue;
    const eq = parameter.indexOf('=');
    if (eq < 0) return unsupported(contentType, `parameter "${parameter.trim()}" is not name=value`);
    if (parameter.slice(0, eq).trim().toLowerCase() !== 'proto') continue;
    let value = parameter.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (value === V1_MESSAGE) version = '1.0';
    else if (value === V2_MESSAGE) version = '2.0';
    else return unsupported(contentType, `unknown proto message "${value}"`);
  }
  return version;
}
