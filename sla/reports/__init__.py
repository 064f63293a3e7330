"""The managers' SLA reports: stored figures kept current as tickets change, the queries that add
them up, and the report as a page, a download, a command's output and a weekly digest
(docs/architecture.md, "Reports")."""
