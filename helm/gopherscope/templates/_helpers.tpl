{{/* Names and labels shared by every template. */}}

{{- define "gopherscope.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The prefix of every object name: the release name, plus the chart name unless it has it. */}}
{{- define "gopherscope.fullname" -}}
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

{{- define "gopherscope.operatorName" -}}
{{- printf "%s-operator" (include "gopherscope.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "gopherscope.serviceAccountName" -}}
{{- default (include "gopherscope.operatorName" .) .Values.serviceAccount.name }}
{{- end }}

{{- define "gopherscope.objectStoreSecretName" -}}
{{- default (printf "%s-object-store" (include "gopherscope.fullname" .)) .Values.objectStore.credentials.secretName }}
{{- end }}

{{- define "gopherscope.s3proxyName" -}}
{{- printf "%s-s3proxy" (include "gopherscope.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The S3 endpoint the operator uses: the configured one, else the embedded s3proxy's Service. */}}
{{- define "gopherscope.objectStoreEndpoint" -}}
{{- if .Values.objectStore.endpoint }}
{{- .Values.objectStore.endpoint }}
{{- else if .Values.objectStore.embedded.enabled }}
{{- printf "http://%s.%s.svc:%d" (include "gopherscope.s3proxyName" .) .Release.Namespace (int .Values.objectStore.embedded.port) }}
{{- end }}
{{- end }}

{{- define "gopherscope.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "gopherscope.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: gopherscope
{{- end }}

{{- define "gopherscope.operatorSelectorLabels" -}}
app.kubernetes.io/name: {{ include "gopherscope.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end }}

{{- define "gopherscope.s3proxySelectorLabels" -}}
app.kubernetes.io/name: {{ include "gopherscope.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: object-store
{{- end }}

{{/* The restricted Pod Security profile, which both Deployments meet. */}}
{{- define "gopherscope.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
fsGroup: 65532
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "gopherscope.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end }}
