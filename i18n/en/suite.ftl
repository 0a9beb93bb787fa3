# shmlab in English: reproduce, run, report and compare: verdicts, notes, report.md.
# Every message must exist in ../zh/suite.ftl with the same arguments (tested).
