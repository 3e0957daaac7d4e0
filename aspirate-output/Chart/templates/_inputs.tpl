{{/* Generated from the AppHost model by the Phase4 publisher; do not edit. Regenerate with: */}}
{{/*   dotnet run --project Publisher -- generate */}}
{{- define "phase4.inputs" -}}
{{- if not (hasKey .Values "phase4ResolvedInputs") }}
{{- $stored := (lookup "v1" "Secret" .Release.Namespace (include "phase4.objectName" (dict "context" $ "name" "generated-secrets"))).data | default dict }}
{{- $inputs := dict }}
{{- $_ := set $inputs "jwt-signing-key" (.Values.secrets.jwtSigningKey | default (get $stored "jwt-signing-key" | b64dec) | default (genPrivateKey "ecdsa")) }}
{{- $_ := set $inputs "postgres-password" (.Values.secrets.postgresPassword | default (get $stored "postgres-password" | b64dec) | default (randAlphaNum 32)) }}
{{- $_ := set $inputs "tasksdb-backend-password" (.Values.secrets.tasksdbBackendPassword | default (get $stored "tasksdb-backend-password" | b64dec) | default (randAlphaNum 32)) }}
{{- $_ := set $inputs "tasksdb-mcpserver-password" (.Values.secrets.tasksdbMcpserverPassword | default (get $stored "tasksdb-mcpserver-password" | b64dec) | default (randAlphaNum 32)) }}
{{- $value := .Values.secrets.jwtPublicKey }}
{{- if and (not $value) (eq (get $stored "jwt-signing-key" | b64dec) (get $inputs "jwt-signing-key")) }}
{{- $value = (get $stored "jwt-public-key" | b64dec) }}
{{- end }}
{{- if not $value }}
{{- $value = (genSelfSignedCertWithKey "jwt-public-key" nil nil 36500 (get $inputs "jwt-signing-key")).Cert }}
{{- end }}
{{- $_ := set $inputs "jwt-public-key" $value }}
{{- $_ := set .Values "phase4ResolvedInputs" $inputs }}
{{- end }}
{{- end }}
