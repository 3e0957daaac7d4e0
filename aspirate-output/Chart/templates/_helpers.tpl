{{/* Generated from the AppHost model by the Phase4 publisher; do not edit. */}}

{{/* The chart's name. */}}
{{- define "phase4.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's prefix of every object's name: <release>-<chart>, or the release alone when it holds the chart's name. */}}
{{- define "phase4.fullname" -}}
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

{{/* An object's release-scoped name: (dict "context" $ "name" "backend") gives <fullname>-backend. */}}
{{- define "phase4.objectName" -}}
{{- printf "%s-%s" (include "phase4.fullname" .context) .name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "phase4.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The hash of one Secret's data in secrets.yaml: (dict "context" $ "name" "backend-secrets"); empty when the chart
renders no such Secret (an existingSecret).
*/}}
{{- define "phase4.secretChecksum" -}}
{{- $name := include "phase4.objectName" (dict "context" .context "name" .name) -}}
{{- range (include (print .context.Template.BasePath "/secrets.yaml") .context | splitList "\n---\n") -}}
{{- $document := fromYaml . -}}
{{- if eq (dig "metadata" "name" "" $document) $name -}}
{{- $document.data | toJson | sha256sum -}}
{{- end -}}
{{- end -}}
{{- end }}

{{/*
A container image: (dict "context" $ "image" .Values.<workload>.image "own" true|false). The app's own images
default to imageRegistry and imageTag, and refuse the placeholder tag of the committed output.
*/}}
{{- define "phase4.image" -}}
{{- $registry := .image.registry -}}
{{- $tag := .image.tag -}}
{{- if .own -}}
{{- $registry = .image.registry | default .context.Values.imageRegistry -}}
{{- $tag = .image.tag | default .context.Values.imageTag | default .context.Chart.AppVersion -}}
{{- if eq $tag "generated" -}}
{{- fail (printf "%s: set imageTag (or %s's image.tag) to the tag `Publisher build` gave the images; :%s is a placeholder." .image.repository .image.repository $tag) -}}
{{- end -}}
{{- end -}}
{{- if $registry -}}
{{- printf "%s/%s:%s" (trimSuffix "/" $registry) .image.repository $tag -}}
{{- else -}}
{{- printf "%s:%s" .image.repository $tag -}}
{{- end -}}
{{- end }}
