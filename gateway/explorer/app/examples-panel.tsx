import { useEditorContext } from '@graphiql/react';
import { EXAMPLES } from './examples.ts';

/** Example operations per subgraph and across them; a click puts one in the editor. */
export function ExamplesPanel() {
  const editors = useEditorContext({ nonNull: true });
  // The operation name is set with the text: GraphiQL would otherwise keep the previous example's
  // until it re-parses the editor, and a run before that asks for an operation the document lacks.
  const load = (query: string) => {
    const operationName = /^\s*(?:query|mutation|subscription)\s+(\w+)/.exec(query)?.[1] ?? null;
    editors.queryEditor?.setValue(query);
    editors.updateActiveTabValues({ query, operationName });
    if (operationName) editors.setOperationName(operationName);
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
