"""Exports of case files (issue 9, "Export"): the case list as CSV or XLSX, and one child's full
file as a PDF. Every export is behind a fresh re-authentication (the views), limited to what the
person may read (the list's scope, ``case_get_for_user``), and audited with every file it holds.
"""
