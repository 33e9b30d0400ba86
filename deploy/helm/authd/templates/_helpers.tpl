{{- define "authd.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "authd.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "authd.selectorLabels" -}}
app.kubernetes.io/name: {{ include "authd.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "authd.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "authd.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "authd.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{- define "authd.secretName" -}}
{{- .Values.secrets.existingSecret | default (include "authd.fullname" .) }}
{{- end }}

{{/* The settings every authd container gets: database and secrets from
the Secret, the data dir on an emptyDir (the root filesystem is read-only). */}}
{{- define "authd.env" -}}
- name: AUTHD_HTTP_ADDR
  value: ":8080"
- name: AUTHD_ADMIN_ADDR
  value: ":8081"
- name: AUTHD_DATA_DIR
  value: /data
- name: AUTHD_DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "authd.secretName" . }}
      key: database-url
- name: AUTHD_REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "authd.secretName" . }}
      key: redis-url
      optional: true
- name: AUTHD_CODE_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ include "authd.secretName" . }}
      key: code-secret
- name: AUTHD_JWT_KEY_FILE
  value: /etc/authd/keys/signing-key.pem
{{- range $k, $v := .Values.env }}
- name: {{ $k }}
  value: {{ $v | toString | quote }}
{{- end }}
{{- end }}

{{- define "authd.volumes" -}}
- name: data
  emptyDir: {}
- name: tmp
  emptyDir: {}
- name: keys
  secret:
    secretName: {{ include "authd.secretName" . }}
    defaultMode: 0400
    items:
      - key: signing-key.pem
        path: signing-key.pem
{{- end }}

{{- define "authd.volumeMounts" -}}
- name: data
  mountPath: /data
- name: tmp
  mountPath: /tmp
- name: keys
  mountPath: /etc/authd/keys
  readOnly: true
{{- end }}

{{- define "authd.validate" -}}
{{- if not .Values.secrets.existingSecret }}
{{- if not .Values.secrets.databaseURL }}
{{- fail "set secrets.databaseURL (postgres://...) or secrets.existingSecret: every replica must share one database" }}
{{- end }}
{{- if and (gt (int .Values.replicaCount) 1) (not .Values.secrets.redisURL) }}
{{- fail "set secrets.redisURL when replicaCount > 1: codes and rate limits must be shared by every replica" }}
{{- end }}
{{- end }}
{{- range $k, $_ := .Values.env }}
{{- if has $k (list "AUTHD_HTTP_ADDR" "AUTHD_ADMIN_ADDR" "AUTHD_DATA_DIR" "AUTHD_JWT_KEY_FILE" "AUTHD_DATABASE_URL" "AUTHD_REDIS_URL" "AUTHD_CODE_SECRET") }}
{{- fail (printf "env.%s is set by the chart (secrets go in secrets.*)" $k) }}
{{- end }}
{{- end }}
{{- end }}
