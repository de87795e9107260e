import { useEditorContext } from '@graphiql/react';
import { EXAMPLES } from './examples.ts';

/** Example operations per subgraph and across them; a click puts one in the editor. */
export function ExamplesPanel() {
  const editors = useEditorContext({ nonNull: true });
  const load = (query: string) => {
    editors.queryEditor?.setValue(query);
    editors.updateActiveTabValues({ query });
  };
  return (
    <div className="liaison-panel liaison-examples">
      <p className="note">Pick an identity in the Liaison panel first: fields it may not read come back null with an error.</p>
      {EXAMPLES.map((example) => (
        <button key={example.title} type="button" onClick={() => load(example.query)}>
          {example.title}
          <small>{example.subgraphs}</small>
        </button>
      ))}
    </div>
  );
}
