# shmlab in English: racings neighbours: crash, bench locks, bench ipc, schedule, the race trace, the locks and IPC transports.
# Every message must exist in ../zh/labs.ftl with the same arguments (tested).
