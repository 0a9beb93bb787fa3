# shmlab in English: memory, limits, huge pages, the page comparison and random access, tuning.
# Every message must exist in ../zh/memory.ftl with the same arguments (tested).
