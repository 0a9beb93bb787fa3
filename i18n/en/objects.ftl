# shmlab in English: posix, lifecycle, inspect, ftok, regions (the backends) and the registry (clean, list).
# Every message must exist in ../zh/objects.ftl with the same arguments (tested).
