import { serviceColour } from './service-colour.ts';
import { ERROR_COLOUR } from './styles.ts';

/** Which colour is which service, plus the error and critical-path encodings. */
export function ServiceLegend({ services }: { readonly services: readonly string[] }) {
  const swatch = (background: string, outline?: string) => (
    <span
      aria-hidden
      style={{
        display: 'inline-block',
        width: 12,
        height: 12,
        borderRadius: 2,
        background,
        outline,
        marginRight: 4,
      }}
    />
  );
  return (
    <ul
      aria-label="Legend"
      style={{
        display: 'flex',
        flexWrap: 'wrap',
        gap: 12,
        listStyle: 'none',
        padding: 0,
        margin: '4px 0',
        fontSize: 12,
      }}
    >
      {services.map((name) => (
        <li key={name}>
          {swatch(serviceColour(name))}
          {name}
        </li>
      ))}
      <li>{swatch(ERROR_COLOUR)}⚠ error</li>
      <li>{swatch('transparent', '2px solid #1a1b1e')}critical path</li>
    </ul>
  );
}
