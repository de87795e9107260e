import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type Attributes,
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import type { TracingConfig } from './tracing-config.ts';

const tracer = trace.getTracer('liaison');
let propagating = false;

/**
 * W3C trace context in and out of every service, recorded or not: without an exporter a partner's
 * `traceparent` still reaches the subgraphs and the log lines, so its trace can be followed through.
 */
export function enableTracePropagation(): void {
  if (propagating) return;
  propagating = true;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
}

/**
 * Records this process's spans and exports them over OTLP/HTTP (batched), when configured: the
 * gateway's phases (@apollo/gateway's own spans), each subgraph fetch, SQL statements and Redis calls.
 * Spans never carry query text, variables or SQL parameters. Returns what flushes and stops it.
 */
export function startTracing(config: TracingConfig | undefined): () => Promise<void> {
  enableTracePropagation();
  if (!config) return async () => undefined;
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.serviceName }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.ratio) }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: config.url, headers: config.headers }))],
  });
  trace.setGlobalTracerProvider(provider);
  return () => provider.shutdown();
}

/** Serves one request in a SERVER span that continues the caller's `traceparent`, if it sent one. */
export function serveInSpan(name: string, req: IncomingMessage, res: ServerResponse, handle: () => Promise<void>): Promise<void> {
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  // The path only: a GET's query string is the GraphQL document and its variables.
  const path = (req.url ?? '/').split('?')[0]!;
  const span = tracer.startSpan(
    name,
    { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method ?? 'GET', 'url.path': path } },
    parent,
  );
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500 || !res.writableFinished) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
  res.once('finish', end);
  res.once('close', end);
  return context.with(trace.setSpan(parent, span), handle);
}

/** Runs `call` (a SQL statement, a Redis command) in a CLIENT span under the active one. */
export async function clientSpan<T>(name: string, attributes: Attributes, call: () => Promise<T>): Promise<T> {
  const span = tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes });
  try {
    return await call();
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
    throw error;
  } finally {
    span.end();
  }
}

/** The active trace context as headers (`traceparent`, `tracestate`), for a call to another service. */
export function traceHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(context.active(), headers);
  return headers;
}

/** The active span's ids for a log line (`trace_id`, `span_id`), or nothing outside a trace. */
export function traceIds(): { trace_id?: string; span_id?: string } {
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext && isSpanContextValid(spanContext) ? { trace_id: spanContext.traceId, span_id: spanContext.spanId } : {};
}
