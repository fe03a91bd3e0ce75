import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { formatPrometheus } from '../../../packages/verify/src/freshness/format-prometheus.ts';
import { report } from './_report.ts';

const t = suite('format-prometheus');

t('prometheus text: HELP/TYPE per metric, stale age and pod count per workload, rate limit, failing count', () => {
  const text = formatPrometheus(report());
  assert.match(text, /# TYPE stateless_ci_freshness_stale_image_age_seconds gauge/);
  assert.match(text, /stateless_ci_freshness_stale_image_age_seconds\{cluster="theia-prod",namespace="apps",workload_kind="Deployment",workload="web",container="main",image="r.io\/app:v1",running_digest="sha256:[a-f0-9]{64}",current_digest="sha256:[a-f0-9]{64}"\} 86400/);
  assert.match(text, /stateless_ci_freshness_stale_pods\{[^}]*workload="web"[^}]*\} 5\n/);
  assert.match(text, /stateless_ci_freshness_containers\{cluster="theia-prod",status="stale"\} 5/);
  assert.match(text, /stateless_ci_freshness_registry_ratelimit_remaining\{cluster="theia-prod",registry="registry-1.docker.io"\} 42/);
  assert.match(text, /stateless_ci_freshness_failing\{cluster="theia-prod"\} 5/);
  for (const line of text.trim().split('\n')) assert.ok(/^# (HELP|TYPE) /.test(line) || /^[a-z_]+(\{.*\})? -?[\d.]+$/.test(line), line);
});

t.run();
