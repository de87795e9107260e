import { type ConstDirectiveNode, type FieldDefinitionNode, Kind, parse, valueFromASTUntyped } from 'graphql';

/** What `@listSize` says about one field (federation's cost directives, demand-control semantics). */
export interface ListSize {
  /** Size to assume when no slicing argument decides it. */
  assumedSize: number | undefined;
  /** Arguments whose value is the size, e.g. `first`. */
  slicingArguments: string[];
  /** Fields of the returned object that are the sized list, e.g. `nodes` of a connection. */
  sizedFields: string[];
}

/**
 * The `@cost` weights and `@listSize` sizes written in the subgraphs' SDL, read from the composed
 * supergraph, keyed `Type.field` (and `Type` for type weights).
 */
export class CostModel {
  private constructor(
    private readonly weights: ReadonlyMap<string, number>,
    private readonly sizes: ReadonlyMap<string, ListSize>,
  ) {}

  static fromSupergraph(sdl: string): CostModel {
    const weights = new Map<string, number>();
    const sizes = new Map<string, ListSize>();
    for (const definition of parse(sdl).definitions) {
      if (!('fields' in definition) || !('name' in definition) || !definition.name) continue;
      const typeName = definition.name.value;
      const typeWeight = weightOf(definition.directives ?? []);
      if (typeWeight !== undefined) weights.set(typeName, typeWeight);
      for (const field of (definition.fields ?? []) as readonly FieldDefinitionNode[]) {
        const coordinate = `${typeName}.${field.name.value}`;
        const weight = weightOf(field.directives ?? []);
        if (weight !== undefined) weights.set(coordinate, weight);
        const listSize = field.directives?.find((d) => d.name.value === 'listSize');
        if (listSize) sizes.set(coordinate, listSizeOf(listSize));
      }
    }
    return new CostModel(weights, sizes);
  }

  /** `@cost(weight)` on the field, else on its type; undefined when neither says. */
  weight(typeName: string, fieldName: string, returnTypeName: string): number | undefined {
    return this.weights.get(`${typeName}.${fieldName}`) ?? this.weights.get(returnTypeName);
  }

  listSize(typeName: string, fieldName: string): ListSize | undefined {
    return this.sizes.get(`${typeName}.${fieldName}`);
  }
}

function weightOf(directives: readonly ConstDirectiveNode[]): number | undefined {
  const cost = directives.find((d) => d.name.value === 'cost');
  const weight = cost?.arguments?.find((a) => a.name.value === 'weight')?.value;
  return weight?.kind === Kind.INT ? Number(weight.value) : undefined;
}

function listSizeOf(directive: ConstDirectiveNode): ListSize {
  const args = Object.fromEntries((directive.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value)]));
  const strings = (value: unknown) => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);
  return {
    assumedSize: typeof args.assumedSize === 'number' ? args.assumedSize : undefined,
    slicingArguments: strings(args.slicingArguments),
    sizedFields: strings(args.sizedFields),
  };
}
