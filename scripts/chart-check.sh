#!/usr/bin/env bash
# make chart-check: helm lint --strict and helm template of charts/latchkey with its default values, the
# production example and the CI values, then values the chart must refuse. Fetches helm on first use.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

ensure_helm
chart=charts/latchkey
out="$LK_ROOT/.local/chart-check"
mkdir -p "$out"
"$LK_HELM" version --short

check() {
  local name="$1"
  shift
  lk_log "chart: $name"
  "$LK_HELM" lint --strict "$chart" "$@"
  # With the Prometheus Operator's API too, so the ServiceMonitor renders where metrics are on.
  "$LK_HELM" template latchkey "$chart" --namespace latchkey "$@" >"$out/$name.yaml"
  "$LK_HELM" template latchkey "$chart" --namespace latchkey --api-versions monitoring.coreos.com/v1 "$@" >"$out/$name-monitoring.yaml"
}

# refused WHY MESSAGE ARGS...: rendering with ARGS must fail, saying MESSAGE.
refused() {
  local why="$1" message="$2" error
  shift 2
  if error="$("$LK_HELM" template latchkey "$chart" "$@" 2>&1 >/dev/null)"; then
    lk_die "chart: rendered although $why"
  fi
  [[ "$error" == *"$message"* ]] || lk_die "chart: $why: expected '$message', got: $error"
  lk_log "chart: refused, as it should be: $why"
}

check default
check production -f "$chart/values-production.yaml"
check secret-create -f "$chart/ci/secret-create-values.yaml"
grep -q "kind: ServiceMonitor" "$out/production-monitoring.yaml" || lk_die "chart: no ServiceMonitor with metrics on and the CRD present"
if grep -q "kind: ServiceMonitor" "$out/production.yaml"; then lk_die "chart: a ServiceMonitor without the CRD"; fi
grep -q 'LATCHKEY_AUTO_MIGRATE: "false"' "$out/default.yaml" || lk_die "chart: pods would migrate the schema themselves"
grep -q 'mountPath: /etc/latchkey/db-ca' "$out/secret-create.yaml" || lk_die "chart: databaseCA.configMap set but not mounted"
grep -q 'LATCHKEY_METRICS_PORT: "9464"' "$out/default.yaml" || lk_die "chart: the services would serve no /metrics"
grep -q 'prometheus.io/scrape: "true"' "$out/default.yaml" || lk_die "chart: no scrape annotations without the Prometheus Operator"
[[ "$(grep -c 'name: metrics' "$out/default.yaml")" -ge 8 ]] || lk_die "chart: a Deployment or Service without its metrics port"

refused "secret.create without a system secret" "secrets-system is required" --set secret.create=true --set secret.values.database-url=x
refused "a system secret shorter than 32 characters" "must be 32 characters or more" -f "$chart/ci/secret-create-values.yaml" --set secret.values.secrets-system=short
refused "secret.create without a bootstrap workspace key" "bootstrap-workspace-key is required" -f "$chart/ci/secret-create-values.yaml" --set secret.values.bootstrap-workspace-key=
refused "a bootstrap workspace key without its prefix" "must be lk_wak_" -f "$chart/ci/secret-create-values.yaml" --set secret.values.bootstrap-workspace-key=0123456789abcdef0123456789abcdef0123456789
if grep -q "LATCHKEY_STATE_DIR" "$out/default.yaml"; then lk_die "chart: pods would keep state on their disk"; fi
grep -q "concurrencyPolicy: Forbid" "$out/default.yaml" || lk_die "chart: no janitor CronJob, or one whose runs may overlap"
refused "a janitor keepIfYounger that is not a duration" "janitor.keepIfYounger must be a duration" --set janitor.keepIfYounger=1d
refused "a janitor batch size of 0" "janitor.batchSize must be a whole number from 1 to 100000" --set janitor.batchSize=0
refused "a janitor limit that is not a number" "janitor.limit must be empty or a whole number" --set janitor.limit=all
refused "an oauth2 janitor interval that is not a duration" "janitor.serviceInterval must be off or a duration" --set janitor.serviceInterval=often
refused "a grace period shorter than the shutdown" "terminationGracePeriodSeconds (30) must be at least" --set terminationGracePeriodSeconds=30
refused "metrics on the public port" "metrics.port must differ from containerPort" --set metrics.port=8080
refused "TLS without a certificate Secret" "ingress.tls.secretName is required" --set ingress.tls.secretName=
# The Terraform that feeds the chart: formatting only (validate needs the providers, which an offline machine cannot fetch).
if command -v terraform >/dev/null 2>&1; then
  terraform -chdir=infra/terraform fmt -check -diff || lk_die "terraform: infra/terraform is not formatted (terraform fmt infra/terraform)"
  lk_log "terraform: fmt ok"
else
  lk_log "terraform: not installed, fmt check skipped"
fi
lk_log "chart: ok (rendered manifests in $out)"
