import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { GraphQLError, ValidationContext, ValidationRule } from 'graphql';
import { type LimitName, queryTooComplex } from '../../lib/errors/index.ts';
import type { HardeningConfig } from './hardening-config.ts';

/**
 * graphql-armor's depth, alias and directive limits as validation rules, so a document over a limit
 * is refused before planning. armor's rules throw by default, which graphql-js would let escape
 * validation as a 500; here they report a {@link queryTooComplex} error into the validation result instead.
 */
export function queryLimitRules(limits: HardeningConfig['limits']): ValidationRule[] {
  const report = (limit: LimitName, max: number) => ({
    propagateOnRejection: false,
    exposeLimits: true,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) =>
        context?.reportError(queryTooComplex(error.message.replace(/^Syntax Error: /, ''), limit, max)),
    ],
  });
  return [
    maxDepthRule({ n: limits.maxDepth, ...report('depth', limits.maxDepth) }),
    maxAliasesRule({ n: limits.maxAliases, ...report('aliases', limits.maxAliases) }),
    maxDirectivesRule({ n: limits.maxDirectives, ...report('directives', limits.maxDirectives) }),
  ] as ValidationRule[];
}
