import * as fs from 'node:fs';
import * as path from 'node:path';
import { SwitchboardMetrics } from '@switchboard/metrics';

const ROOT = new URL('../../..', import.meta.url).pathname;
const DASHBOARD = path.join(ROOT, 'deploy/grafana/switchboard-dashboard.json');
const ALERTS = path.join(ROOT, 'deploy/prometheus/alerts.yml');

interface Panel {
  title: string;
  targets?: Array<{ expr: string }>;
  panels?: Panel[];
}

/** Every switchboard_* series name a PromQL expression reads. */
function metricNames(expr: string): string[] {
  return [...expr.matchAll(/\b(switchboard_[a-z0-9_]+)\b/g)].map((m) => m[1]);
}

/** Expressions of every panel of the dashboard (rows included), with where they come from. */
function dashboardExpressions(): Array<{ where: string; expr: string }> {
  const dashboard = JSON.parse(fs.readFileSync(DASHBOARD, 'utf8')) as { panels: Panel[] };
  const out: Array<{ where: string; expr: string }> = [];
  const walk = (panels: Panel[]) => {
    for (const p of panels) {
      for (const t of p.targets ?? []) out.push({ where: `dashboard panel "${p.title}"`, expr: t.expr });
      walk(p.panels ?? []);
    }
  };
  walk(dashboard.panels);
  return out;
}

/** `expr:` of every alert rule (one line each in alerts.yml). */
function alertExpressions(): Array<{ where: string; expr: string }> {
  const out: Array<{ where: string; expr: string }> = [];
  let alert = '';
  for (const line of fs.readFileSync(ALERTS, 'utf8').split('\n')) {
    const name = /^\s*- alert:\s*(\S+)/.exec(line);
    if (name) alert = name[1];
    const expr = /^\s*expr:\s*(.+)$/.exec(line);
    if (expr) out.push({ where: `alert ${alert}`, expr: expr[1] });
  }
  return out;
}

/**
 * The Grafana dashboard and the Prometheus alert rules in deploy/ (provisioned by docker-compose)
 * must only use metrics the app registers: a renamed or removed metric would otherwise leave an
 * empty panel or an alert that can never fire, unnoticed.
 */
describe('deploy/: every metric the dashboard and the alert rules use exists', () => {
  const registered = new Set(
    new SwitchboardMetrics().registry.getMetricsAsArray().map((m) => (m as unknown as { name: string }).name),
  );

  /** A series name is known when it is a registered metric, or a histogram's/summary's _bucket, _sum, _count. */
  const known = (name: string) =>
    registered.has(name) || registered.has(name.replace(/_(bucket|sum|count)$/, ''));

  it('finds the expressions it checks', () => {
    expect(dashboardExpressions().length).toBeGreaterThanOrEqual(15);
    expect(alertExpressions().length).toBeGreaterThanOrEqual(15);
  });

  it.each([
    ['the dashboard', dashboardExpressions],
    ['the alert rules', alertExpressions],
  ])('%s', (_what, expressions) => {
    const unknown = expressions()
      .flatMap(({ where, expr }) => metricNames(expr).map((name) => ({ where, name })))
      .filter(({ name }) => !known(name));
    expect(unknown).toEqual([]);
  });

  it('covers what an operator must see: intake, backlog, outages, keys, sync', () => {
    const used = new Set(
      [...dashboardExpressions(), ...alertExpressions()].flatMap(({ expr }) => metricNames(expr)),
    );
    for (const name of [
      'switchboard_webhooks_received_total',
      'switchboard_queue_jobs',
      'switchboard_inbox_waiting',
      'switchboard_inbox_waiting_oldest_seconds',
      'switchboard_redis_data_loss_total',
      'switchboard_dependency_up',
      'switchboard_connection_secrets_unreadable',
      'switchboard_sync_lag_seconds',
    ])
      expect(used).toContain(name);
  });

  it('would catch a metric that does not exist', () => {
    expect(known('switchboard_webhook_ingress_duration_seconds_bucket')).toBe(true);
    expect(known('switchboard_no_such_metric_total')).toBe(false);
  });
});
