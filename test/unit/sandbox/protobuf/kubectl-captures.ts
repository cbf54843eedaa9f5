/**
 * Request bodies the real kubectl v1.33.1 POSTed (`k8s\0` protobuf) to the sandbox, captured by a logging
 * proxy in front of it. They pin the decoder to what client-go really writes.
 */

/** `kubectl create deployment web --image=nginx:1.27 --port=80 --replicas=2 -- nginx -g 'daemon off;'` */
export const deployment = Buffer.from(
  'azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50EtYBCh8KA3dlYhIAGgAiACoAMgA4AEIAWgoKA2FwcBIDd2ViEqQBCAISDAoKCgNh' +
    'cHASA3dlYhqJAQocCgASABoAIgAqADIAOABCAFoKCgNhcHASA3dlYhJpEksKBW5naW54EgpuZ2lueDoxLjI3GgVuZ2lueBoCLWca' +
    'C2RhZW1vbiBvZmY7KgAyCgoAEAAYUCIAKgBCAGoAcgCAAQCIAQCQAQCiAQAaADIAQgBKAFIAWABgAGgAggEAigEAmgEAwgEAIgIK' +
    'ACgAOAAaDAgAEAAYACAAKAA4ABoAIgA=',
  'base64',
);

/** `kubectl create job hello --image=busybox -- echo hi` */
export const job = Buffer.from(
  'azhzAAoPCghiYXRjaC92MRIDSm9iEooBChUKBWhlbGxvEgAaACIAKgAyADgAQgASZzJlChAKABIAGgAiACoAMgA4AEIAElESLgoF' +
    'aGVsbG8SB2J1c3lib3gaBGVjaG8aAmhpKgBCAGoAcgCAAQCIAQCQAQCiAQAaBU5ldmVyMgBCAEoAUgBYAGAAaACCAQCKAQCaAQDC' +
    'AQAaCCAAKAAwADoAGgAiAA==',
  'base64',
);

/** `kubectl create cronjob cj --image=busybox --schedule='*\/5 * * * *' --restart=Never -- sh -c date` (the schedule's slash escaped here) */
export const cronjob = Buffer.from(
  'azhzAAoTCghiYXRjaC92MRIHQ3JvbkpvYhKoAQoSCgJjahIAGgAiACoAMgA4AEIAEo8BCgsqLzUgKiAqICogKhoAKn4KEgoCY2oS' +
    'ABoAIgAqADIAOABCABJoMmYKEAoAEgAaACIAKgAyADgAQgASUhIvCgJjahIHYnVzeWJveBoCc2gaAi1jGgRkYXRlKgBCAGoAcgCA' +
    'AQCIAQCQAQCiAQAaBU5ldmVyMgBCAEoAUgBYAGAAaACCAQCKAQCaAQDCAQAaABoAIgA=',
  'base64',
);

/** `kubectl create job manual --from=cronjob/cj` */
export const jobFromCronJob = Buffer.from(
  'azhzAAoPCghiYXRjaC92MRIDSm9iEr0CCoQBCgZtYW51YWwSABoAIgAqADIAOABCAGIrCiFjcm9uam9iLmt1YmVybmV0ZXMuaW8v' +
    'aW5zdGFudGlhdGUSBm1hbnVhbGo/CgdDcm9uSm9iGgJjaiIkZjM4NjA5N2ItOWNiYi00M2YyLWFlNTAtODY1MTQ0ZGJlMTJlKghi' +
    'YXRjaC92MTABEqkBMqYBChAKABIAGgAiACoAMgA4AEIAEpEBEk0KAmNqEgdidXN5Ym94GgJzaBoCLWMaBGRhdGUqAEIAahQvZGV2' +
    'L3Rlcm1pbmF0aW9uLWxvZ3IGQWx3YXlzgAEAiAEAkAEAogEERmlsZRoFTmV2ZXIgHjIMQ2x1c3RlckZpcnN0QgBKAFIAWABgAGgA' +
    'cgCCAQCKAQCaARFkZWZhdWx0LXNjaGVkdWxlcsIBABoIIAAoADAAOgAaACIA',
  'base64',
);

/** `kubectl create service nodeport np --tcp=80:8080 --node-port=30080` */
export const nodePortService = Buffer.from(
  'azhzAAoNCgJ2MRIHU2VydmljZRJnCh0KAm5wEgAaACIAKgAyADgAQgBaCQoDYXBwEgJucBJCCh0KBzgwLTgwODASA1RDUBhQIgcI' +
    'ABCQPxoAKIDrARIJCgNhcHASAm5wGgAiCE5vZGVQb3J0OgBCAFIAWgBgAGgAGgIKABoAIgA=',
  'base64',
);

/** `kubectl create serviceaccount robot` */
export const serviceAccount = Buffer.from('azhzAAoUCgJ2MRIOU2VydmljZUFjY291bnQSFwoVCgVyb2JvdBIAGgAiACoAMgA4AEIAGgAiAA==', 'base64');

/** `kubectl create secret tls tls --cert=tls.crt --key=tls.key` */
export const tlsSecret = Buffer.from(
  'azhzAAoMCgJ2MRIGU2VjcmV0EsEWChMKA3RscxIAGgAiACoAMgA4AEIAEt8ICgd0bHMuY3J0EtMILS0tLS1CRUdJTiBDRVJUSUZJ' +
    'Q0FURS0tLS0tCk1JSURCVENDQWUyZ0F3SUJBZ0lVTFRsZmFUcGpjVFlNZkNVdVcxUXJRYjF5Tjhjd0RRWUpLb1pJaHZjTkFRRUwK' +
    'QlFBd0VqRVFNQTRHQTFVRUF3d0haWGhoYlhCc1pUQWVGdzB5TmpFeU1ESXhNek01TURkYUZ3MHpOakV4TWpreApNek01TURkYU1C' +
    'SXhFREFPQmdOVkJBTU1CMlY0WVcxd2JHVXdnZ0VpTUEwR0NTcUdTSWIzRFFFQkFRVUFBNElCCkR3QXdnZ0VLQW9JQkFRREFTOWFC' +
    'WGQyT3ZYNGxwRFlwTWlLVEhVQjI3NS9MQ2QwbFc0Uk90VTFTbmpKZU4xQ04KWmdHUWI5UklWNWE5YUY4OVpDZm80eEVCa0M3RFJj' +
    'RnBDWnRhcy8vcTZWclhVenY1UGNoVStGV2M1Ym9TU0tEaQpYWHpFbko2QXJEZ1ZRTkVKdHI3SVNtMmxnLy9WSFNCS3AyRGtNMTVC' +
    'bXNCbG1VU2FaY09WUUcxcHZjYm5aZlBzCnNvQVNYZmNRS2wzb1BxelNzRFhGV05uWExPVHZGdXArZXZMU2NyeW9oU0Y1UWJ1S2NP' +
    'SnVkeVh0bDF4enZVTGwKcjZnaGhUdzc2bytCM2NncElpdWhXNVFYRlpnSzRHVkNuRjBTaGhpVGtxdW02b0RYN2d3K1FWcitlaHNo' +
    'TkN0QgowOEtITVlUWXZSK08wb2s0THVxWmhHR1JMYTVqenNoMDR5WTVBZ01CQUFHalV6QlJNQjBHQTFVZERnUVdCQlJBCjhSb29m' +
    'Q3dvdStwMkJPU2x0M1B2M1l0SmFEQWZCZ05WSFNNRUdEQVdnQlJBOFJvb2ZDd291K3AyQk9TbHQzUHYKM1l0SmFEQVBCZ05WSFJN' +
    'QkFmOEVCVEFEQVFIL01BMEdDU3FHU0liM0RRRUJDd1VBQTRJQkFRQUxjeFoybjBZKwp2eGhwcyszTDR2V2dKMklMalM4dUd5bmN2' +
    'Wm1KUEZrTkxKUjZzN1IzRFJKSUxzVXJyUTRNekY0Z3JLRll0dmJyClFwZ0ovcFdLRkQ3VmlCYVZqV0Y1UVY2VW5HbFpkeWJ6R1NR' +
    'a3puUjdNSGl1QkRLWGN1SWZZdnhBYjdrVkdRYjYKWE5tLzlTeXVxMjdIK3g5NktDMHJ3Y1ZLeXFIVWNyV3VUN0lENW91b3pGcG15' +
    'bnk5eXloVmlkR09DaDBHQTd0TwpiNjB6eEt5azNJNjdER01lanorK1R3NUpFTC9aUWFZeXpTTkRvamFVdzlROWxKdC81YnIyR0c1' +
    'MEEzTjV0WmtaCldKTWdXZWh1MGo2WkM0TDBSdEFtWkxFYS9JQitrbS9YUlk5amoydUNSZllxa0Z4ejdsdFRtK1dnTGdneFBsZHcK' +
    'T1k3TmIwY213dkhyCi0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0KErQNCgd0bHMua2V5EqgNLS0tLS1CRUdJTiBQUklWQVRFIEtF' +
    'WS0tLS0tCk1JSUV2Z0lCQURBTkJna3Foa2lHOXcwQkFRRUZBQVNDQktnd2dnU2tBZ0VBQW9JQkFRREFTOWFCWGQyT3ZYNGwKcERZ' +
    'cE1pS1RIVUIyNzUvTENkMGxXNFJPdFUxU25qSmVOMUNOWmdHUWI5UklWNWE5YUY4OVpDZm80eEVCa0M3RApSY0ZwQ1p0YXMvL3E2' +
    'VnJYVXp2NVBjaFUrRldjNWJvU1NLRGlYWHpFbko2QXJEZ1ZRTkVKdHI3SVNtMmxnLy9WCkhTQktwMkRrTTE1Qm1zQmxtVVNhWmNP' +
    'VlFHMXB2Y2JuWmZQc3NvQVNYZmNRS2wzb1BxelNzRFhGV05uWExPVHYKRnVwK2V2TFNjcnlvaFNGNVFidUtjT0p1ZHlYdGwxeHp2' +
    'VUxscjZnaGhUdzc2bytCM2NncElpdWhXNVFYRlpnSwo0R1ZDbkYwU2hoaVRrcXVtNm9EWDdndytRVnIrZWhzaE5DdEIwOEtITVlU' +
    'WXZSK08wb2s0THVxWmhHR1JMYTVqCnpzaDA0eVk1QWdNQkFBRUNnZ0VBQWZmZnFYRVNtT0dPT08rR1RDc0pNUDVHY01UWlBjaTFl' +
    'NnFIL2NMdXllVVkKbkl0VnNjQkZxaDlBaTNkVmwzd2JaeTVLMTFTQkJrdmczUVVGZE9kK1FmQ25iTGlXME9ONklrYS9QV2dML3V5' +
    'ZAovaFA4TmR2YUxaSWwzcTdHQzFHOHZPd1JZQ1JpeTF0bXZlNnpKampWS1c1QmZWUndidDF0SlpreklEeS9od3EvCnFkU3RUb1BX' +
    'WnY1ZjFwblNvOFMyM1lwWDRxVnRMVWtGUDFQa21xVmhXNWg3S3NkcmtNb0k5Q3d3SlVlV0tHNlgKWk0wTVpSSG84NXZFVHNnQ3k3' +
    'bVB5R0Q0Snc1c0tETHR4YWNKeDZuWkdoMjl4aE1ITzlmMDFnSkpqRXpyZlhtKwp2M3hqZ05hMVJsazNVd3F0dE9CWnJwYVozVzJG' +
    'RHhTUGdUQjU2ZDV5WVFLQmdRRDBYNUF3TzVsVnFqdVJXaWFZCnVzUlNIUWhjWHRxQ2RvazBiWnJsVGxHSmFEV1hhVTBVeUZLblgw' +
    'dDF2U0Rva2l1cTlCajA1U2wzTk9iSEpEc2gKSlFLR2l0S0hKYktIenhPQldRY1l5TGk1SStmTzJaSFFxbVJZb1VPMEo5b2pvYTB0' +
    'WUhWTmN4MlBVRml4aTA1ZQp5K3dWWG4zNWRjNWU3Qk9YNjlwNHcrclZtUUtCZ1FESmNmdUpaTmp0WUM4RlFsWXlmUTVJM2RpK1dR' +
    'RWtvOEN0Ck0rbU1UeTN6YXdtZHdwWjRvM2dXTE42K3RUSFZ6bzk0L1RMT3pPUmt1VGxHYUNsTU9zZndFRG9UdnBHWWxvb0YKVEs1' +
    'TTBlQWZLUUxZblFCVm8yZnJDUzdHSXcxMkdqdSs5bmtPN01pK2JVZkpxTE9vMXo1Zzdsb0ZtaUV4VmJDMgpZNC9SREpuNW9RS0Jn' +
    'REVVQ0RkSG9QSHRjRzB1dDlXd25NRUpCNmJWZmZqNXFYQ1lHcVcyNXZVN3NwZW9GRXo2Ck5tOWEyaUxaU3dTcVpvNjgyMDVEditJ' +
    'ckE3WTI5cEVmaDdSUnFScHZYYjJjdndRWlJ5MlpFbEJNZjcreFBuR3oKNXRkTisvVHdsQVRYOFpuTlo0R1lmdlZMWTZTMG41YTJT' +
    'Y0c0Nm4veFF2TVpZbzMrVmpBdTJManhBb0dCQUpPegpVeTdtRm5mVnNpUTFBMlo1Y3VQU1pYMExYVjgwQWEzOUJoeXVZWTY4eUl3' +
    'M2hJUm50MERySFZiUEcvOGNPTzRKCkdCdXc5elV5NmQvSnQ1NEE2MkFGUmMvOFJseU81QndHb1RZS0hENDhuNjJiVUFkNmpGTTBw' +
    'R3I2Z0lBN3M5ck0KZE82UWhvKzVLSTJmZURzdnRyanppbVhaSU1VL2d4WDM0aGJ4R21TQkFvR0JBS3R6dFNBOTdmUVMwZU5SYVB1' +
    'Mwo1K1NVY1pHN0VLdGFIN29tcGVLb0xQNnVyRDFlL3FDMWhzc2gxRHVrZ3N1R2NadjVsbE5tZ0dFenpDemxjQXhpCnhDWEFoMVBR' +
    'b3hlQVhLRVlRZyt4NHRCREVWNE40cktsMmpxNHpyUDIwZlJLcFBFeU1qbU1yMW1rRHg4c1VPVngKNDMxbkNGeU5UTXM3dStkTGZB' +
    'MGRsOHUxCi0tLS0tRU5EIFBSSVZBVEUgS0VZLS0tLS0KGhFrdWJlcm5ldGVzLmlvL3RscxoAIgA=',
  'base64',
);

/** `kubectl create role reader --verb=get,list --resource=pods,deployments.apps` */
export const role = Buffer.from(
  'azhzAAokChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEgRSb2xlEk0KFgoGcmVhZGVyEgAaACIAKgAyADgAQgASEwoDZ2V0' +
    'CgRsaXN0EgAaBHBvZHMSHgoDZ2V0CgRsaXN0EgRhcHBzGgtkZXBsb3ltZW50cxoAIgA=',
  'base64',
);

/** `kubectl create rolebinding rb --role=reader --serviceaccount=default:robot --user=alice` */
export const roleBinding = Buffer.from(
  'azhzAAorChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEgtSb2xlQmluZGluZxKPAQoSCgJyYhIAGgAiACoAMgA4AEIAEioK' +
    'BFVzZXISGXJiYWMuYXV0aG9yaXphdGlvbi5rOHMuaW8aBWFsaWNlIgASIgoOU2VydmljZUFjY291bnQSABoFcm9ib3QiB2RlZmF1' +
    'bHQaKQoZcmJhYy5hdXRob3JpemF0aW9uLms4cy5pbxIEUm9sZRoGcmVhZGVyGgAiAA==',
  'base64',
);

/** `kubectl create clusterrolebinding crb --clusterrole=creader --group=devs` */
export const clusterRoleBinding = Buffer.from(
  'azhzAAoyChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEhJDbHVzdGVyUm9sZUJpbmRpbmcSdAoTCgNjcmISABoAIgAqADIA' +
    'OABCABIqCgVHcm91cBIZcmJhYy5hdXRob3JpemF0aW9uLms4cy5pbxoEZGV2cyIAGjEKGXJiYWMuYXV0aG9yaXphdGlvbi5rOHMu' +
    'aW8SC0NsdXN0ZXJSb2xlGgdjcmVhZGVyGgAiAA==',
  'base64',
);

/** `kubectl create namespace team-a` */
export const namespace = Buffer.from('azhzAAoPCgJ2MRIJTmFtZXNwYWNlEh4KFgoGdGVhbS1hEgAaACIAKgAyADgAQgASABoCCgAaACIA', 'base64');
