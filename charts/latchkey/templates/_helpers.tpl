{{/* Chart name. */}}
{{- define "latchkey.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 48 | trimSuffix "-" }}
{{- end }}

{{/* Release-scoped base name; short enough for the "-control-plane" suffix. */}}
{{- define "latchkey.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 48 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 48 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 48 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Labels on every object. */}}
{{- define "latchkey.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "latchkey.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: latchkey
{{- end }}

{{/* Selector of one component. Argument: dict "root" $ "component" "gateway". */}}
{{- define "latchkey.selectorLabels" -}}
app.kubernetes.io/name: {{ include "latchkey.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* Name of a component's Deployment and Service. Argument: dict "root" $ "component" "gateway". */}}
{{- define "latchkey.componentName" -}}
{{- printf "%s-%s" (include "latchkey.fullname" .root) .component }}
{{- end }}

{{/* In-cluster URL of a component. Argument: dict "root" $ "component" "oauth2". */}}
{{- define "latchkey.componentUrl" -}}
{{- printf "http://%s:%v" (include "latchkey.componentName" .) .root.Values.service.port }}
{{- end }}

{{/* The headless Service of a component, as the gateway reaches each of its pods. */}}
{{- define "latchkey.podsUrl" -}}
{{- printf "http://%s-pods:%v" (include "latchkey.componentName" .) .root.Values.containerPort }}
{{- end }}

{{- define "latchkey.publicUrl" -}}
{{- if .Values.publicUrl }}
{{- .Values.publicUrl | trimSuffix "/" }}
{{- else if and .Values.ingress.enabled .Values.ingress.tls.enabled }}
{{- printf "https://%s" .Values.domain }}
{{- else }}
{{- printf "http://%s" .Values.domain }}
{{- end }}
{{- end }}

{{- define "latchkey.secretName" -}}
{{- .Values.secret.name | default (include "latchkey.fullname" .) }}
{{- end }}

{{/* ConfigMap with the settings every component shares. */}}
{{- define "latchkey.configName" -}}
{{- printf "%s-config" (include "latchkey.fullname" .) }}
{{- end }}

{{/* The shared, non-secret settings (the data of the ConfigMap; its checksum rolls the pods). */}}
{{- define "latchkey.configData" -}}
ASPNETCORE_URLS: {{ printf "http://+:%v" .Values.containerPort | quote }}
LATCHKEY_DOMAIN: {{ required "domain is required: the public domain users reach" .Values.domain | quote }}
LATCHKEY_PUBLIC_URL: {{ include "latchkey.publicUrl" . | quote }}
# The migration Job applies the schema; pods never issue DDL, so their database role needs no DDL rights.
LATCHKEY_AUTO_MIGRATE: "false"
LATCHKEY_SHUTDOWN_DELAY_SECONDS: {{ .Values.shutdownDelaySeconds | quote }}
LATCHKEY_SHUTDOWN_TIMEOUT_SECONDS: {{ .Values.shutdownTimeoutSeconds | quote }}
{{- with .Values.trustedProxies }}
LATCHKEY_TRUSTED_PROXIES: {{ . | quote }}
{{- end }}
{{- if .Values.metrics.enabled }}
LATCHKEY_METRICS_PORT: {{ .Values.metrics.port | quote }}
{{- end }}
{{- with .Values.otlpEndpoint }}
OTEL_EXPORTER_OTLP_ENDPOINT: {{ . | quote }}
{{- end }}
{{- end }}

{{/* One environment variable from the Secret. Argument: dict "root" $ "name" "LATCHKEY_X" "key" "x" "optional" false. */}}
{{- define "latchkey.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ include "latchkey.secretName" .root }}
      key: {{ required (printf "secret.keys: no key for %s" .name) .key }}
      {{- if .optional }}
      optional: true
      {{- end }}
{{- end }}

{{/*
Pod annotations that change whenever the shared config or the Secret does, so `helm upgrade` rolls the pods.
A Secret the chart does not create is read from the cluster (lookup; empty under `helm template`).
*/}}
{{- define "latchkey.checksums" -}}
checksum/config: {{ include "latchkey.configData" . | sha256sum }}
{{- if .Values.secret.create }}
checksum/secret: {{ toJson .Values.secret.values | sha256sum }}
{{- else }}
{{- $existing := lookup "v1" "Secret" .Release.Namespace (include "latchkey.secretName" .) }}
checksum/secret: {{ toJson (dig "data" (dict) $existing) | sha256sum }}
{{- end }}
{{- end }}

{{/* Environment of one component beyond the shared ConfigMap. Argument: dict "root" $ "component" "gateway". */}}
{{- define "latchkey.env" -}}
{{- $root := .root -}}
{{- $keys := $root.Values.secret.keys -}}
{{ include "latchkey.secretEnv" (dict "root" $root "name" "LATCHKEY_DATABASE_URL" "key" $keys.databaseUrl) }}
{{ include "latchkey.secretEnv" (dict "root" $root "name" "LATCHKEY_REDIS_URL" "key" $keys.redisUrl "optional" true) }}
{{ include "latchkey.secretEnv" (dict "root" $root "name" "LATCHKEY_SECRETS_SYSTEM" "key" $keys.secretsSystem) }}
{{- if eq .component "control-plane" }}
{{ include "latchkey.secretEnv" (dict "root" $root "name" "LATCHKEY_BOOTSTRAP_WORKSPACE_KEY" "key" $keys.bootstrapWorkspaceKey "optional" true) }}
{{- end }}
{{- if eq .component "oauth2" }}
- name: LATCHKEY_JANITOR_INTERVAL
  value: {{ $root.Values.janitor.serviceInterval | quote }}
- name: LATCHKEY_JANITOR_KEEP_IF_YOUNGER
  value: {{ $root.Values.janitor.keepIfYounger | quote }}
{{- end }}
{{- if eq .component "gateway" }}
- name: LATCHKEY_CONTROL_PLANE_URL
  value: {{ include "latchkey.podsUrl" (dict "root" $root "component" "control-plane") | quote }}
- name: LATCHKEY_OAUTH2_URL
  value: {{ include "latchkey.podsUrl" (dict "root" $root "component" "oauth2") | quote }}
- name: LATCHKEY_CONSOLE_URL
  value: {{ include "latchkey.podsUrl" (dict "root" $root "component" "console") | quote }}
- name: LATCHKEY_GATEWAY_DNS_REFRESH_SECONDS
  value: {{ $root.Values.gateway.dnsRefreshSeconds | quote }}
{{- end }}
{{- if $root.Values.otlpEndpoint }}
- name: OTEL_SERVICE_NAME
  value: {{ printf "latchkey-%s" .component | quote }}
{{- end }}
{{- with $root.Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Topology spread of one component: the configured constraints, each selecting this component's pods, and
with matchLabelKeys pod-template-hash so each rollout's new pods are spread too, not only all pods together.
*/}}
{{- define "latchkey.topologySpread" -}}
{{- $own := dict "labelSelector" (dict "matchLabels" (include "latchkey.selectorLabels" . | fromYaml)) "matchLabelKeys" (list "pod-template-hash") -}}
{{- $constraints := list -}}
{{- range .root.Values.topologySpreadConstraints }}
{{- $constraints = append $constraints (merge (deepCopy $own) .) -}}
{{- end }}
{{- with $constraints }}
{{- toYaml . }}
{{- end }}
{{- end }}

{{/* Image of one component. Argument: dict "root" $ "values" .Values.oauth2. */}}
{{- define "latchkey.image" -}}
{{- printf "%s/%s:%s" .root.Values.image.registry .values.image (.root.Values.image.tag | default .root.Chart.AppVersion) }}
{{- end }}

{{/*
Deployment and Service of one component.
Argument: dict "root" $ "component" "gateway" "values" .Values.gateway
*/}}
{{- define "latchkey.component" -}}
{{- $root := .root -}}
{{- $c := .values -}}
{{- $name := include "latchkey.componentName" . -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}
  labels:
    {{- include "latchkey.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
spec:
  {{- if not (dig "autoscaling" "enabled" false $c) }}
  replicas: {{ $c.replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "latchkey.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "latchkey.labels" $root | nindent 8 }}
        app.kubernetes.io/component: {{ .component }}
      annotations:
        {{- include "latchkey.checksums" $root | nindent 8 }}
        {{- if and $root.Values.metrics.enabled $root.Values.metrics.scrapeAnnotations }}
        prometheus.io/scrape: "true"
        prometheus.io/port: {{ $root.Values.metrics.port | quote }}
        prometheus.io/path: /metrics
        {{- end }}
        {{- with $root.Values.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      automountServiceAccountToken: false
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
      terminationGracePeriodSeconds: {{ $root.Values.terminationGracePeriodSeconds }}
      {{- with include "latchkey.topologySpread" . }}
      topologySpreadConstraints:
        {{- . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ .component }}
          image: {{ include "latchkey.image" . | quote }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ $root.Values.containerPort }}
              protocol: TCP
            {{- if $root.Values.metrics.enabled }}
            - name: metrics
              containerPort: {{ $root.Values.metrics.port }}
              protocol: TCP
            {{- end }}
          envFrom:
            - configMapRef:
                name: {{ include "latchkey.configName" $root }}
          env:
            {{- include "latchkey.env" . | nindent 12 }}
          {{- if gt (int $root.Values.preStopSleepSeconds) 0 }}
          lifecycle:
            preStop:
              sleep:
                seconds: {{ $root.Values.preStopSleepSeconds }}
          {{- end }}
          startupProbe:
            httpGet:
              path: /health/alive
              port: http
            periodSeconds: 2
            failureThreshold: 30
          livenessProbe:
            httpGet:
              path: /health/alive
              port: http
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 3
          readinessProbe:
            httpGet:
              path: /health/ready
              port: http
            periodSeconds: 5
            timeoutSeconds: 3
            failureThreshold: 3
          resources:
            {{- toYaml $c.resources | nindent 12 }}
          securityContext:
            {{- toYaml $root.Values.securityContext | nindent 12 }}
          # Nothing the services keep lives in a pod: the data-protection key rings are in PostgreSQL and the
          # first workspace key comes from the Secret.
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- include "latchkey.databaseCAMount" $root | nindent 12 }}
      volumes:
        - name: tmp
          emptyDir: {}
        {{- include "latchkey.databaseCAVolume" $root | nindent 8 }}
      {{- with $root.Values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $root.Values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $root.Values.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ $name }}
  labels:
    {{- include "latchkey.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
spec:
  type: ClusterIP
  selector:
    {{- include "latchkey.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: {{ $root.Values.service.port }}
      targetPort: http
      protocol: TCP
    {{- if $root.Values.metrics.enabled }}
    - name: metrics
      port: {{ $root.Values.metrics.port }}
      targetPort: metrics
      protocol: TCP
    {{- end }}
{{- if ne .component "gateway" }}
---
# Headless: its DNS name answers every ready pod's address, so the gateway (LATCHKEY_GATEWAY_DNS_REFRESH_SECONDS)
# balances over the pods itself, with its health checks, and a new pod gets traffic within one refresh.
apiVersion: v1
kind: Service
metadata:
  name: {{ $name }}-pods
  labels:
    {{- include "latchkey.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
spec:
  clusterIP: None
  selector:
    {{- include "latchkey.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: {{ $root.Values.containerPort }}
      targetPort: http
      protocol: TCP
{{- end }}
{{- if $root.Values.podDisruptionBudget.enabled }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ $name }}
  labels:
    {{- include "latchkey.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
spec:
  maxUnavailable: {{ $root.Values.podDisruptionBudget.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "latchkey.selectorLabels" . | nindent 6 }}
{{- end }}
{{- end }}

{{/* HorizontalPodAutoscaler of one component (when enabled). Same argument as latchkey.component. */}}
{{- define "latchkey.hpa" -}}
{{- $c := .values -}}
{{- if dig "autoscaling" "enabled" false $c }}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "latchkey.componentName" . }}
  labels:
    {{- include "latchkey.labels" .root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "latchkey.componentName" . }}
  minReplicas: {{ $c.autoscaling.minReplicas }}
  maxReplicas: {{ $c.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $c.autoscaling.targetCPUUtilizationPercentage }}
{{- end }}
{{- end }}

{{/* Refuses values that would render pods that cannot start. */}}
{{- define "latchkey.validate" -}}
{{- if and .Values.ingress.enabled .Values.ingress.tls.enabled }}
{{- $_ := required "ingress.tls.secretName is required with TLS on: a certificate for <domain>, *.<domain> and *.projects.<domain>" .Values.ingress.tls.secretName }}
{{- end }}
{{- $stop := add (int .Values.preStopSleepSeconds) (int .Values.shutdownDelaySeconds) (int .Values.shutdownTimeoutSeconds) 5 }}
{{- if lt (int .Values.terminationGracePeriodSeconds) (int $stop) }}
{{- fail (printf "terminationGracePeriodSeconds (%v) must be at least preStopSleepSeconds + shutdownDelaySeconds + shutdownTimeoutSeconds + 5 = %v, or pods are killed while requests finish" .Values.terminationGracePeriodSeconds $stop) }}
{{- end }}
{{- if not (regexMatch "^(off|0|([0-9]+(h|m|s))+)$" (toString .Values.janitor.serviceInterval)) }}
{{- fail (printf "janitor.serviceInterval must be off or a duration such as 10m, not %q" (toString .Values.janitor.serviceInterval)) }}
{{- end }}
{{- if and .Values.metrics.enabled (eq (int .Values.metrics.port) (int .Values.containerPort)) }}
{{- fail "metrics.port must differ from containerPort: /metrics answers only on a port of its own" }}
{{- end }}
{{- if and .Values.secret.create .Values.secret.keys.migrationDatabaseUrl }}
{{- $_ := required (printf "secret.values.%s is required: secret.keys.migrationDatabaseUrl names it" .Values.secret.keys.migrationDatabaseUrl) (get .Values.secret.values .Values.secret.keys.migrationDatabaseUrl) }}
{{- end }}
{{- end }}

{{/* The janitor's command line, its values checked here so a typo fails the render, not every run. */}}
{{- define "latchkey.janitorArgs" -}}
{{- $j := .Values.janitor -}}
{{- $duration := "^(0|([0-9]+(\\.[0-9]+)?(h|m|s|ms))+)$" -}}
{{- if not (regexMatch $duration (toString $j.keepIfYounger)) }}
{{- fail (printf "janitor.keepIfYounger must be a duration such as 30m, 24h or 1h30m, not %q" (toString $j.keepIfYounger)) }}
{{- end }}
{{- if not (and (regexMatch "^[0-9]+$" (toString $j.batchSize)) (ge (int $j.batchSize) 1) (le (int $j.batchSize) 100000)) }}
{{- fail (printf "janitor.batchSize must be a whole number from 1 to 100000, not %v" $j.batchSize) }}
{{- end -}}
- janitor
- --keep-if-younger
- {{ $j.keepIfYounger | toString | quote }}
- --batch-size
- {{ $j.batchSize | toString | quote }}
{{- with $j.limit }}
{{- if not (and (regexMatch "^[0-9]+$" (toString .)) (ge (int64 .) 1)) }}
{{- fail (printf "janitor.limit must be empty or a whole number of 1 or more, not %v" .) }}
{{- end }}
- --limit
- {{ . | toString | quote }}
{{- end }}
{{- end }}

{{/* One `migrate` container of the migration Job. Argument: dict "root" $ "component" "oauth2" "values" .Values.oauth2. */}}
{{- define "latchkey.migrateContainer" -}}
{{- $keys := .root.Values.secret.keys -}}
- name: {{ printf "migrate-%s" .component }}
  image: {{ include "latchkey.image" . | quote }}
  imagePullPolicy: {{ .root.Values.image.pullPolicy }}
  args: ["migrate"]
  env:
    {{- include "latchkey.secretEnv" (dict "root" .root "name" "LATCHKEY_DATABASE_URL" "key" ($keys.migrationDatabaseUrl | default $keys.databaseUrl)) | nindent 4 }}
    {{- include "latchkey.secretEnv" (dict "root" .root "name" "LATCHKEY_SECRETS_SYSTEM" "key" $keys.secretsSystem) | nindent 4 }}
  resources:
    {{- toYaml .root.Values.migration.resources | nindent 4 }}
  securityContext:
    {{- toYaml .root.Values.securityContext | nindent 4 }}
  volumeMounts:
    - name: tmp
      mountPath: /tmp
    {{- include "latchkey.databaseCAMount" .root | nindent 4 }}
{{- end }}

{{/* The database CA bundle (databaseCA.configMap), when set: its volume and its mount. */}}
{{- define "latchkey.databaseCAVolume" -}}
{{- with .Values.databaseCA.configMap }}
- name: database-ca
  configMap:
    name: {{ . }}
{{- end }}
{{- end }}

{{- define "latchkey.databaseCAMount" -}}
{{- if .Values.databaseCA.configMap }}
- name: database-ca
  mountPath: {{ .Values.databaseCA.mountPath }}
  readOnly: true
{{- end }}
{{- end }}
