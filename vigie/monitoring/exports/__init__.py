"""Exports in the field's standards.

- ``htcds``: the organisation's own case files, one pseudonymous record per file, in IOM's Human
  Trafficking Case Data Standard 2.0 (case level: coordinators only, re-authenticated, audited);
- ``ctdc``: a CTDC-compatible aggregate file, from a published release;
- ``survey``: the annual survey of victims followed by associations (MIPROF), from a release.

The two aggregate exports read nothing but a release's published tables (``release_tables``): a
cell below the threshold has no number there, so none can be written.
"""
