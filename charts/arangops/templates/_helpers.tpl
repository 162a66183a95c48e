{{- /* The chart name, or nameOverride. */ -}}
{{- define "arangops.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- /* <release>-<chart> truncated to 63 characters, without repeating the chart name the release already holds. */ -}}
{{- define "arangops.fullname" -}}
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

{{- /* The helm.sh/chart label value ("+" is not allowed in label values). */ -}}
{{- define "arangops.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- /* Stable selector labels: name and instance only. */ -}}
{{- define "arangops.selectorLabels" -}}
app.kubernetes.io/name: {{ include "arangops.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- /* The recommended labels of every resource. */ -}}
{{- define "arangops.labels" -}}
helm.sh/chart: {{ include "arangops.chart" . }}
{{ include "arangops.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: arangops
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- /* Labels of one component: (dict "ctx" $ "component" "exporter"). */ -}}
{{- define "arangops.componentLabels" -}}
{{ include "arangops.labels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- /* Selector labels of one component: (dict "ctx" $ "component" "exporter"). */ -}}
{{- define "arangops.componentSelectorLabels" -}}
{{ include "arangops.selectorLabels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- /* The ServiceAccount the pods run as. */ -}}
{{- define "arangops.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "arangops.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- /* repository:tag, or repository@digest when a digest is pinned. */ -}}
{{- define "arangops.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{- /*
Whether a Prometheus-operator resource renders: (dict "ctx" $ "enabled" <auto|true|false> "kind" "ServiceMonitor").
"auto" asks the cluster (helm template needs --api-versions monitoring.coreos.com/v1/<Kind>).
*/ -}}
{{- define "arangops.monitoringEnabled" -}}
{{- $enabled := toString .enabled }}
{{- if eq $enabled "true" }}true
{{- else if and (eq $enabled "auto") (.ctx.Capabilities.APIVersions.Has (printf "monitoring.coreos.com/v1/%s" .kind)) }}true
{{- end }}
{{- end }}

{{- /* The ArangoDB endpoints: arango.urls, or the Service of the kube-arangodb deployment kubeArangodb.name (TLS is on there). */ -}}
{{- define "arangops.arangoUrls" -}}
{{- if .Values.arango.urls }}
{{- toJson .Values.arango.urls }}
{{- else }}
{{- list (printf "https://%s.%s.svc:8529" .Values.kubeArangodb.name .Release.Namespace) | toJson }}
{{- end }}
{{- end }}

{{- /* The Secret with the ArangoDB password or JWT: arango.auth.existingSecret, or the operator's root password Secret. */ -}}
{{- define "arangops.authSecret" -}}
{{- default (printf "%s-root-password" .Values.kubeArangodb.name) .Values.arango.auth.existingSecret }}
{{- end }}

{{- /* The CA secret: arango.tls.caSecret, or the operator's CA of the chart's ArangoDeployment. */ -}}
{{- define "arangops.caSecret" -}}
{{- if .Values.arango.tls.caSecret }}
{{- .Values.arango.tls.caSecret }}
{{- else if not .Values.arango.urls }}
{{- .Values.kubeArangodb.caSecretName }}
{{- end }}
{{- end }}

{{- /* Where the secrets, the profile and the configuration are mounted. */ -}}
{{- define "arangops.paths" -}}
config: /etc/arangops/config/config.yaml
profile: /etc/arangops/profile
jwt: /var/run/secrets/arangops/arango
ca: /var/run/secrets/arangops/ca
backupKey: /var/run/secrets/arangops/backup-key
state: /var/lib/arangops
{{- end }}

{{- /* The name of the profile ConfigMap: the user's own, or the chart's. */ -}}
{{- define "arangops.profileConfigMap" -}}
{{- default (printf "%s-profile" (include "arangops.fullname" .)) .Values.profile.existingConfigMap }}
{{- end }}

{{- /* The arangops configuration file (secrets are never in it: they come as environment variables or files). */ -}}
{{- define "arangops.config" -}}
{{- $paths := include "arangops.paths" . | fromYaml }}
{{- $arango := dict "url" (include "arangops.arangoUrls" . | fromJsonArray) "database" .Values.arango.database "timeoutMs" .Values.arango.timeoutMs }}
{{- if eq .Values.arango.auth.mode "password" }}
{{- $_ := set $arango "username" .Values.arango.auth.username }}
{{- else if eq .Values.arango.auth.mode "jwt" }}
{{- $_ := set $arango "jwtFile" (printf "%s/%s" $paths.jwt .Values.arango.auth.jwtKey) }}
{{- end }}
{{- $tls := dict "insecure" .Values.arango.tls.insecure }}
{{- if include "arangops.caSecret" . }}
{{- $_ := set $tls "caFile" (printf "%s/%s" $paths.ca .Values.arango.tls.caKey) }}
{{- end }}
{{- $_ := set $arango "tls" $tls }}
{{- $aws := dict "region" .Values.aws.region }}
{{- with .Values.aws.endpoint }}
{{- $_ := set $aws "endpoint" . }}
{{- end }}
{{- $exporter := dict
  "host" "0.0.0.0"
  "port" (int .Values.exporter.port)
  "databases" .Values.exporter.databases
  "collectors" (dict
    "serverMetrics" (dict "enabled" .Values.exporter.serverMetrics.enabled "agentEndpoints" .Values.exporter.serverMetrics.agentEndpoints)
    "aql" (dict "metricsFile" (printf "%s/metrics.yaml" $paths.profile))) }}
{{- $runRecords := dict "dir" (printf "%s/runs" $paths.state) }}
{{- $config := dict
  "arango" $arango
  "aws" $aws
  "log" (dict "level" .Values.logLevel)
  "runRecords" $runRecords
  "schema" (dict "profileDir" $paths.profile "failOn" .Values.profile.failOn "ignore" .Values.profile.ignore)
  "exporter" $exporter }}
{{- /* The jobs and the exporter run in separate pods: run records go through the store's runs/. */ -}}
{{- if and .Values.jobs.enabled .Values.store.url }}
{{- $_ := set $runRecords "inStore" true }}
{{- $_ := set $config "backup" (dict "store" .Values.store.url) }}
{{- end }}
{{- mustMergeOverwrite $config (deepCopy .Values.extraConfig) | toYaml }}
{{- end }}

{{- /* Environment of every container: secrets by reference, the store, extraEnv. (dict "ctx" $ "store" bool) */ -}}
{{- define "arangops.env" -}}
{{- $v := .ctx.Values }}
{{- $paths := include "arangops.paths" .ctx | fromYaml }}
{{- if eq $v.arango.auth.mode "password" }}
- name: ARANGOPS_ARANGO_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "arangops.authSecret" .ctx | quote }}
      key: {{ $v.arango.auth.passwordKey | quote }}
{{- end }}
{{- with $v.aws.credentials.existingSecret }}
- name: AWS_ACCESS_KEY_ID
  valueFrom:
    secretKeyRef:
      name: {{ . | quote }}
      key: {{ $v.aws.credentials.accessKeyIdKey | quote }}
- name: AWS_SECRET_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ . | quote }}
      key: {{ $v.aws.credentials.secretAccessKeyKey | quote }}
{{- end }}
{{- if .store }}
- name: ARANGOPS_STORE
  value: {{ required "store.url: the jobs need the backup store (s3://bucket/prefix)" $v.store.url | quote }}
{{- with $v.store.kmsKeyId }}
- name: ARANGOPS_KMS_KEY_ID
  value: {{ . | quote }}
{{- end }}
{{- if $v.store.keySecret.name }}
- name: ARANGOPS_KEY_FILE
  value: {{ printf "%s/%s" $paths.backupKey $v.store.keySecret.key | quote }}
{{- else if not $v.store.kmsKeyId }}
{{- fail "store: set store.kmsKeyId or store.keySecret.name, the key that encrypts the backups" }}
{{- end }}
{{- end }}
{{- with $v.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- /* Volume mounts of every container. (dict "ctx" $ "store" bool) */ -}}
{{- define "arangops.volumeMounts" -}}
{{- $v := .ctx.Values }}
{{- $paths := include "arangops.paths" .ctx | fromYaml }}
- name: config
  mountPath: {{ dir $paths.config }}
  readOnly: true
- name: profile
  mountPath: {{ $paths.profile }}
  readOnly: true
- name: tmp
  mountPath: /tmp
- name: state
  mountPath: {{ $paths.state }}
{{- if eq $v.arango.auth.mode "jwt" }}
- name: arango-jwt
  mountPath: {{ $paths.jwt }}
  readOnly: true
{{- end }}
{{- if include "arangops.caSecret" .ctx }}
- name: arango-ca
  mountPath: {{ $paths.ca }}
  readOnly: true
{{- end }}
{{- if and .store $v.store.keySecret.name }}
- name: backup-key
  mountPath: {{ $paths.backupKey }}
  readOnly: true
{{- end }}
{{- end }}

{{- /* Volumes of every pod. (dict "ctx" $ "store" bool) */ -}}
{{- define "arangops.volumes" -}}
{{- $v := .ctx.Values }}
- name: config
  configMap:
    name: {{ include "arangops.fullname" .ctx }}-config
- name: profile
  configMap:
    name: {{ include "arangops.profileConfigMap" .ctx }}
- name: tmp
  emptyDir:
    sizeLimit: 256Mi
- name: state
  emptyDir:
    sizeLimit: 64Mi
{{- if eq $v.arango.auth.mode "jwt" }}
- name: arango-jwt
  secret:
    secretName: {{ include "arangops.authSecret" .ctx | quote }}
    items:
      - key: {{ $v.arango.auth.jwtKey | quote }}
        path: {{ $v.arango.auth.jwtKey | quote }}
{{- end }}
{{- with include "arangops.caSecret" .ctx }}
- name: arango-ca
  secret:
    secretName: {{ . | quote }}
    items:
      - key: {{ $v.arango.tls.caKey | quote }}
        path: {{ $v.arango.tls.caKey | quote }}
{{- end }}
{{- if and .store $v.store.keySecret.name }}
- name: backup-key
  secret:
    secretName: {{ $v.store.keySecret.name | quote }}
    items:
      - key: {{ $v.store.keySecret.key | quote }}
        path: {{ $v.store.keySecret.key | quote }}
{{- end }}
{{- end }}

{{- /* Pod-level fields shared by every pod: service account, security context, pull secrets. */ -}}
{{- define "arangops.podCommon" -}}
serviceAccountName: {{ include "arangops.serviceAccountName" . }}
automountServiceAccountToken: {{ .Values.serviceAccount.automountServiceAccountToken }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{- /* Container fields shared by every container: image, command, security context. */ -}}
{{- define "arangops.containerCommon" -}}
image: {{ include "arangops.image" . | quote }}
imagePullPolicy: {{ .Values.image.pullPolicy }}
command: ["arangops"]
securityContext:
  {{- toYaml .Values.containerSecurityContext | nindent 2 }}
{{- end }}

{{- /* Rollout on configuration or profile change. */ -}}
{{- define "arangops.checksums" -}}
checksum/config: {{ include "arangops.config" . | sha256sum }}
{{- if not .Values.profile.existingConfigMap }}
checksum/profile: {{ include "arangops.profileData" . | sha256sum }}
{{- end }}
{{- end }}

{{- /* The shipped profile's files (schema.yaml, metrics.yaml, ...), read from files/profiles/<name>: a link to packages/schema/profiles. */ -}}
{{- define "arangops.profileData" -}}
{{- $files := .Files.Glob (printf "files/profiles/%s/*.yaml" .Values.profile.name) }}
{{- if not $files }}
{{- fail (printf "profile.name: no profile %q in the chart (files/profiles/); set profile.existingConfigMap for your own" .Values.profile.name) }}
{{- end }}
{{- $files.AsConfig }}
{{- end }}

{{- /* The `--set` arguments that carry the jobs' schedules to `arangops jobs` (config section jobs.*). */ -}}
{{- define "arangops.jobsArgs" -}}
{{- $j := .Values.jobs }}
{{- $args := list (printf "--set=jobs.port=%d" (int $j.port)) (printf "--set=jobs.timeZone=%s" $j.timeZone) (printf "--set=jobs.gracePeriodSeconds=%d" (int $j.gracePeriodSeconds)) }}
{{- range $key, $job := $j.schedules }}
{{- $args = append $args (printf "--set=jobs.%s.enabled=%t" $key $job.enabled) }}
{{- $args = append $args (printf "--set=jobs.%s.schedule=%s" $key $job.schedule) }}
{{- end }}
{{- toJson $args }}
{{- end }}
