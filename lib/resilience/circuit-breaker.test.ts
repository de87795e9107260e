import { describe, expect, it } from 'vitest';
import { type BreakerState, CircuitBreaker } from './circuit-breaker.ts';

function breaker(failureThreshold = 3, openMs = 1_000) {
  let now = 0;
  const changes: BreakerState[] = [];
  const subject = new CircuitBreaker({ failureThreshold, openMs, now: () => now, onChange: (state) => changes.push(state) });
  return { subject, changes, advance: (ms: number) => void (now += ms) };
}

describe('CircuitBreaker', () => {
  it('opens only after the threshold of failures in a row; a success in between starts the count again', () => {
    const { subject, changes } = breaker(3);
    subject.failure();
    subject.failure();
    subject.success();
    subject.failure();
    subject.failure();
    expect(subject.state).toBe('closed');
    expect(subject.allow()).toBe(true);
    subject.failure();
    expect(subject.state).toBe('open');
    expect(subject.allow()).toBe(false);
    expect(changes).toEqual(['open']);
  });

  it('lets exactly one trial through once the open time is up, and opens again when it fails', () => {
    const { subject, changes, advance } = breaker(1, 1_000);
    subject.failure();
    advance(999);
    expect(subject.allow()).toBe(false);
    advance(1);
    expect(subject.state).toBe('half_open');
    expect(subject.allow()).toBe(true);
    expect(subject.allow()).toBe(false);
    subject.failure();
    expect(subject.state).toBe('open');
    advance(999);
    expect(subject.allow()).toBe(false);
    expect(changes).toEqual(['open', 'half_open', 'open']);
  });

  it('closes when the trial succeeds', () => {
    const { subject, changes, advance } = breaker(1, 100);
    subject.failure();
    advance(100);
    expect(subject.allow()).toBe(true);
    subject.success();
    expect(subject.state).toBe('closed');
    expect([subject.allow(), subject.allow()]).toEqual([true, true]);
    expect(changes).toEqual(['open', 'half_open', 'closed']);
  });

  it('gives the next caller the trial when one ends without a verdict', () => {
    const { subject, advance } = breaker(1, 100);
    subject.failure();
    advance(100);
    expect(subject.allow()).toBe(true);
    subject.abandon();
    expect(subject.allow()).toBe(true);
  });
});
