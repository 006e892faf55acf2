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

{{/* Environment of one component. Argument: dict "root" $ "component" "gateway". */}}
{{- define "latchkey.env" -}}
{{- $root := .root -}}
- name: ASPNETCORE_URLS
  value: {{ printf "http://+:%v" $root.Values.containerPort | quote }}
- name: LATCHKEY_DOMAIN
  value: {{ $root.Values.domain | quote }}
- name: LATCHKEY_PUBLIC_URL
  value: {{ include "latchkey.publicUrl" $root | quote }}
- name: LATCHKEY_STATE_DIR
  value: /var/lib/latchkey
{{- with $root.Values.trustedProxies }}
- name: LATCHKEY_TRUSTED_PROXIES
  value: {{ . | quote }}
{{- end }}
- name: LATCHKEY_DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "latchkey.secretName" $root }}
      key: {{ $root.Values.secret.keys.databaseUrl }}
- name: LATCHKEY_REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "latchkey.secretName" $root }}
      key: {{ $root.Values.secret.keys.redisUrl }}
- name: LATCHKEY_SECRETS_SYSTEM
  valueFrom:
    secretKeyRef:
      name: {{ include "latchkey.secretName" $root }}
      key: {{ $root.Values.secret.keys.secretsSystem }}
{{- if eq .component "control-plane" }}
- name: LATCHKEY_BOOTSTRAP_WORKSPACE_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "latchkey.secretName" $root }}
      key: {{ $root.Values.secret.keys.bootstrapWorkspaceKey }}
      optional: true
{{- end }}
{{- if eq .component "gateway" }}
- name: LATCHKEY_CONTROL_PLANE_URL
  value: {{ include "latchkey.componentUrl" (dict "root" $root "component" "control-plane") | quote }}
- name: LATCHKEY_OAUTH2_URL
  value: {{ include "latchkey.componentUrl" (dict "root" $root "component" "oauth2") | quote }}
- name: LATCHKEY_CONSOLE_URL
  value: {{ include "latchkey.componentUrl" (dict "root" $root "component" "console") | quote }}
{{- end }}
{{- with $root.Values.otlpEndpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ . | quote }}
- name: OTEL_SERVICE_NAME
  value: {{ printf "latchkey-%s" $.component | quote }}
{{- end }}
{{- with $root.Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Deployment and Service of one component.
Argument: dict "root" $ "component" "gateway" "values" .Values.gateway
*/}}
{{- define "latchkey.component" -}}
{{- $root := .root -}}
{{- $c := .values -}}
{{- $name := include "latchkey.componentName" . -}}
{{- $tag := $root.Values.image.tag | default $root.Chart.AppVersion -}}
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
      {{- with $root.Values.podAnnotations }}
      annotations:
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
      containers:
        - name: {{ .component }}
          image: {{ printf "%s/%s:%s" $root.Values.image.registry $c.image $tag | quote }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ $root.Values.containerPort }}
              protocol: TCP
          env:
            {{- include "latchkey.env" . | nindent 12 }}
          # Start-up may apply the database schema: give it time before liveness counts.
          startupProbe:
            httpGet:
              path: /health/alive
              port: http
            periodSeconds: 2
            failureThreshold: 90
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
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            - name: state
              mountPath: /var/lib/latchkey
      volumes:
        - name: tmp
          emptyDir: {}
        - name: state
          emptyDir: {}
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
