{{/* Generated from the AppHost model by the Phase4 publisher; do not edit. */}}

{{/*
Each pooled service's Database__MaxPoolSize: (database.maxConnections - database.reservedConnections) divided by
every pod that may connect at once (each service's most replicas plus a rollout's surge pod), rounded down; the
render fails when that leaves fewer than 2 per pod (docs/database.md, the connection budget).
*/}}
{{- define "phase4.maxPoolSize" -}}
{{- $pods := 0 -}}
{{- range $name := list "backend" "mcpserver" -}}
{{- $service := index $.Values $name -}}
{{- $replicas := $service.replicas -}}
{{- if $service.autoscaling.enabled }}{{ $replicas = $service.autoscaling.maxReplicas }}{{ end -}}
{{- $pods = add $pods $replicas 1 -}}
{{- end -}}
{{- $available := sub $.Values.database.maxConnections $.Values.database.reservedConnections -}}
{{- $pool := div $available $pods -}}
{{- if lt $pool 2 -}}
{{- fail (printf "The database connection budget does not fit: %d pods at most (each service's maxReplicas, or replicas, plus a surge pod) need at least 2 connections each, but database.maxConnections %v less database.reservedConnections %v leaves %d. Raise database.maxConnections to at least %d, lower database.reservedConnections or the services' maxReplicas, or put a pooler in front of the database (docs/database.md)." $pods $.Values.database.maxConnections $.Values.database.reservedConnections $available (add $.Values.database.reservedConnections (mul $pods 2))) -}}
{{- end -}}
{{- $pool -}}
{{- end }}
