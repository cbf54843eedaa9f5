/**
 * Decides, per request, which faults hit it. Rules are checked in order: every matching latency
 * rule adds its delay, the first matching error rule (409, 429, 500, 503, reset, reset-after) answers instead of
 * the server, and the first matching drop-watch rule limits a watch's life.
 */
import { parseFaultSpec, type FaultRule } from './fault-spec.js';

/** What a request is matched on. */
export interface FaultTarget {
  path: string;
  /** The Kubernetes verb (get, list, watch, create, …). */
  verb: string;
  /** The HTTP method. */
  method: string;
}

/** The faults chosen for one request. */
export interface FaultDecision {
  latencyMs: number;
  /** The error rule to answer with, if any. */
  error?: FaultRule;
  /** For watches: end the stream after this many milliseconds. */
  dropWatchAfterMs?: number;
  /** Names of the faults applied, for the audit log. */
  applied: string[];
}

/** FaultInjector holds the current rules and their remaining counts. */
export class FaultInjector {
  private rules: FaultRule[] = [];
  private text = '';

  /** `random` is injectable so tests can make rates deterministic. */
  constructor(
    spec = '',
    private readonly random: () => number = Math.random,
  ) {
    this.set(spec);
  }

  /** set replaces the rules (throws FaultSpecError and keeps the old ones on a bad spec). */
  set(spec: string): void {
    this.rules = parseFaultSpec(spec);
    this.text = spec.trim();
  }

  /** spec is the text of the rules in force ('' when none). */
  spec(): string {
    return this.text;
  }

  /** clear removes every rule. */
  clear(): void {
    this.rules = [];
    this.text = '';
  }

  /** active tells whether any rule is set (the server skips the decision otherwise). */
  active(): boolean {
    return this.rules.length > 0;
  }

  /** decide picks the faults for one request, consuming counts. Never call it for /sandbox/* paths. */
  decide(target: FaultTarget): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0, applied: [] };
    for (const rule of this.rules) {
      if (!this.matches(rule, target)) continue;
      if (rule.kind === 'latency') {
        if (!this.fire(rule)) continue;
        decision.latencyMs += rule.ms ?? 0;
        decision.applied.push('latency');
      } else if (rule.kind === 'drop-watch') {
        if (target.verb !== 'watch' || decision.dropWatchAfterMs !== undefined || !this.fire(rule)) continue;
        decision.dropWatchAfterMs = rule.afterMs ?? 0;
        decision.applied.push('drop-watch');
      } else if (!decision.error && this.fire(rule)) {
        decision.error = rule;
        decision.applied.push(rule.kind);
      }
    }
    return decision;
  }

  private matches(rule: FaultRule, target: FaultTarget): boolean {
    if (rule.count !== undefined && rule.count <= 0) return false;
    if (rule.path && !rule.path.test(target.path)) return false;
    // An upper-case verb names an HTTP method (GET), a lower-case one a Kubernetes verb (get ≠ list).
    if (rule.verb && (rule.verb === rule.verb.toUpperCase() ? rule.verb !== target.method : rule.verb !== target.verb)) return false;
    return true;
  }

  private fire(rule: FaultRule): boolean {
    if (rule.rate < 1 && this.random() >= rule.rate) return false;
    if (rule.count !== undefined) rule.count--;
    return true;
  }
}
