/**
 * Request bodies captured from the real helm v4.1.4 binary (`helm install t ./tiny` of an empty chart,
 * then `helm uninstall t`) against a throwaway server built on the sandbox's discovery functions.
 * They pin the decoder to what client-go really writes rather than to our own reading of the protos.
 */

/** The release Secret helm 4 POSTs at install time (status pending-install), `k8s\0`-enveloped. */
export const helm4InstallSecret = Buffer.from(
  'azhzAAoMCgJ2MRIGU2VjcmV0EqEECoMBChdzaC5oZWxtLnJlbGVhc2UudjEudC52MRIAGgAiACoAMgA4AEIAWhcKCWNyZWF0ZWRB' +
    'dBIKMTc5NTIyMjg5NloJCgRuYW1lEgF0Wg0KBW93bmVyEgRoZWxtWhkKBnN0YXR1cxIPcGVuZGluZy1pbnN0YWxsWgwKB3ZlcnNp' +
    'b24SATEShAMKB3JlbGVhc2US+AJINHNJQUFBQUFBQUMvNVNRd1dyek1BekhYNlhvN0JRN1g1djI4eHZzWG5ib3BZaFlXY1VVeDhS' +
    'S1J5bDk5K0ZzYlJqc010QkJFdnBMLzU5dUVMRW44S0JnZ0dNM2dMOUJ4MlBXVTZBa3c1VUNlS2h0M1ZUT1ZiVTdXT2V0OC8rYTlX' +
    'N2ZiUDV2ZC92TkVRd0kvbEVRS0xjakorVWhnb2VYeU1vb0s0NVpVV1ExeFVEakIxN0JRRmJVS1lPSFJERndmS3UrWitCdW9EM2px' +
    'TVZ3VDRvQkZVdis0T0ZZNUJjYTg5Y051N1pyQndZdzhldXplYW5MSGhuYWQvQnhFakdnMUNkQnBmeG9YRkNtcGNydG1YcjhXZlZE' +
    'VUo2UFdtdGROY2ZCV2o5SGdlMVlsZzNMOUs5UHF0MjJxVGU3NWxpTVBkMDdNM1BsaEcxUkJ1cHdFcDFwa2x4UFBlbDVLSC9QR2VI' +
    'K0dRQUEvLy9ndWVXRTFBRUFBQT09GhJoZWxtLnNoL3JlbGVhc2UudjEaACIA' +
    '',
  'base64',
);

/** The DeleteOptions helm 4 sends when it deletes the release Secret (all fields empty). */
export const helm4UninstallDeleteOptions = Buffer.from('azhzAAoTCgJ2MRINRGVsZXRlT3B0aW9ucxIAGgAiAA==', 'base64');
